package io.streamback.internal.wire;

import io.streamback.StreambackException;
import java.util.Optional;

/** Bytes on a stream that are not what the wire protocol says; the message says what is wrong. */
public final class MalformedRecordException extends StreambackException {
    private final String feedbackTopic;

    public MalformedRecordException(String message) {
        this(message, null);
    }

    /** @param feedbackTopic where the producer waits for replies, when the record still said so */
    public MalformedRecordException(String message, String feedbackTopic) {
        super(message);
        this.feedbackTopic = feedbackTopic;
    }

    /** The record's feedback topic, when it could be read: the producer can still be told. */
    public Optional<String> feedbackTopic() {
        return Optional.ofNullable(feedbackTopic);
    }
}
