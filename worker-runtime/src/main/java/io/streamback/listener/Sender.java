package io.streamback.listener;

import io.streamback.feedback.FeedbackLane;

/**
 * What a listener may do with the {@code Streamback} it runs in: send messages on. Listeners see
 * this rather than {@code Streamback} itself, so the listener model does not depend on the facade
 * that runs it.
 */
public interface Sender {

    /** Sends {@code value} (any Jackson-serialisable object, or null) to {@code topic}. */
    FeedbackLane send(String topic, Object value);

    /** Sends {@code value} to {@code topic} with a record key (messages with one key stay in order). */
    FeedbackLane send(String topic, Object value, String key);

    /** Picks up the replies of a message sent elsewhere, from its feedback topic alone. */
    FeedbackLane continueStream(String feedbackTopic);
}
