package io.streamback;

/**
 * Kafka or Redis could not be reached in time, or refused the credentials or the TLS handshake; the
 * message names which one and where (never credentials).
 */
public class StreamUnavailableException extends StreambackException {
    public StreamUnavailableException(String message) {
        super(message);
    }

    public StreamUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
