package io.streamback.listener;

import io.streamback.StreambackException;

/**
 * A message value that does not fit the listener's declared input. Never retried: the same
 * input would fail the same way.
 */
public final class InvalidInputException extends StreambackException {
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
