package io.streamback.internal.config;

import io.streamback.StreambackException;

/** A worker setting that cannot be used; the message names the variable and the problem. */
public final class InvalidConfigurationException extends StreambackException {
    public InvalidConfigurationException(String message) {
        super(message);
    }
}
