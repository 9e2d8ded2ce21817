package io.streamback;

/** Base of every exception Streamback throws. Unchecked, like Kafka's and Jedis'. */
public class StreambackException extends RuntimeException {
    public StreambackException(String message) {
        super(message);
    }

    public StreambackException(String message, Throwable cause) {
        super(message, cause);
    }
}
