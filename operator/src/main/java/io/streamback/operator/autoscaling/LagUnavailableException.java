package io.streamback.operator.autoscaling;

/** The lag could not be read; the message says why, without credentials. */
public class LagUnavailableException extends Exception {

    public LagUnavailableException(String message) {
        super(message);
    }
}
