package io.streamback.listener;

/**
 * A listener bound to one topic.
 *
 * @param name  how logs and error texts name the listener
 * @param topic the topic as named on the broker (any topics prefix applied)
 */
public record ListenerRegistration(String name, String topic, MessageHandler handler) {
}
