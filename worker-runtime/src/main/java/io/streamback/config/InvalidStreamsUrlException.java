package io.streamback.config;

import io.streamback.StreambackException;

/** The streams URL cannot be used; the message names the bad part, with credentials masked. */
public final class InvalidStreamsUrlException extends StreambackException {
    public InvalidStreamsUrlException(String message) {
        super(message);
    }
}
