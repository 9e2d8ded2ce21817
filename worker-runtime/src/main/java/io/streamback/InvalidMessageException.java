package io.streamback;

/**
 * Kafka refused a message for what the caller sent, not for the state of the streams: a topic name
 * Kafka does not allow, or a value larger than the producer or the broker takes. The message names
 * the topic, and the size and the limit where they apply.
 */
public class InvalidMessageException extends IllegalArgumentException {
    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
