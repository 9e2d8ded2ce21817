package io.streamback.feedback;

import io.streamback.StreambackException;
import java.util.Optional;

/** A listener failed on the message; carries the error text its Streamback sent back. */
public final class FeedbackErrorException extends StreambackException {
    private final String error;
    private final String sourceGroup;

    public FeedbackErrorException(String topic, String error, String sourceGroup) {
        super("Listener " + (sourceGroup == null ? "" : "group '" + sourceGroup + "' ")
                + "failed" + (topic == null ? "" : " on the message sent to topic '" + topic + "'") + ": " + error);
        this.error = error;
        this.sourceGroup = sourceGroup;
    }

    /** The error text as the listener side reported it. */
    public String error() {
        return error;
    }

    /** The application (group) whose listener failed, when it said so. */
    public Optional<String> sourceGroup() {
        return Optional.ofNullable(sourceGroup);
    }
}
