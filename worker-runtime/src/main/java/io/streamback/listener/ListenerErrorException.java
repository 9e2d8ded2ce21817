package io.streamback.listener;

/**
 * Tells callbacks that a listener threw an {@link Error} (its cause) rather than an exception.
 * The record failed like with an exception: the producer gets the error, the record is
 * dead-lettered and committed, and the worker goes on.
 */
public final class ListenerErrorException extends RuntimeException {
    public ListenerErrorException(Throwable error) {
        super(error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()), error);
    }
}
