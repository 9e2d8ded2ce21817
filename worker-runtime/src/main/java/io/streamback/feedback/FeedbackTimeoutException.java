package io.streamback.feedback;

import io.streamback.StreambackException;
import java.time.Duration;

/** No reply, and no end marker, came within the timeout. */
public final class FeedbackTimeoutException extends StreambackException {
    private final Duration timeout;

    public FeedbackTimeoutException(String topic, String feedbackTopic, Duration timeout) {
        super("No feedback " + (topic == null ? "" : "for the message sent to topic '" + topic + "' ")
                + "within " + format(timeout) + " (feedback topic " + feedbackTopic + ")");
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
