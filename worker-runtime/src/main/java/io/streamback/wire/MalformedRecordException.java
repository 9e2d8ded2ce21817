package io.streamback.wire;

import io.streamback.StreambackException;

/** Bytes on a stream that are not what the wire protocol says; the message says what is wrong. */
public final class MalformedRecordException extends StreambackException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
