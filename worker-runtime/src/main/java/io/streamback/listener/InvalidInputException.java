package io.streamback.listener;

import io.streamback.StreambackException;

/**
 * The message is the caller's mistake, not the listener's: a listener throws it to reject a request,
 * and Streamback throws it for an {@code @Input} field that is missing or of the wrong type.
 *
 * <p>The producer gets the reason (its read raises {@code FeedbackErrorException} with
 * {@code "InvalidInputException: <reason>"}); the worker logs one WARN line without a stack trace,
 * never retries it and keeps no dead letter, because the same input would fail the same way and
 * there is nothing in it for the listener's owner to fix.
 */
public final class InvalidInputException extends StreambackException {
    /** Rejects the message; {@code reason} goes to the producer as it is, so say what to fix. */
    public InvalidInputException(String reason) {
        super(reason);
    }

    public InvalidInputException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
