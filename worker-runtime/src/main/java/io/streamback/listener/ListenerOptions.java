package io.streamback.listener;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a listener runs, for {@code listen(options, handler)}:
 * {@code ListenerOptions.topic("test_hello_2").concurrency(20).retry(RetryStrategy.times(3))}.
 *
 * @param concurrency dedicated consumer workers, fixed or by lag; {@code fixed(0)} shares the application's pool worker
 * @param retry       empty: the application's default retry strategy
 * @param name        how logs, metrics and error texts name the listener; empty: derived
 */
public record ListenerOptions(List<String> topics, Concurrency concurrency, Optional<RetryStrategy> retry,
                              Optional<String> name) {

    public ListenerOptions {
        topics = List.copyOf(topics);
        if (topics.isEmpty() || topics.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("A listener needs at least one topic, and no blank ones: " + topics);
        }
        Objects.requireNonNull(concurrency, "concurrency");
    }

    public static ListenerOptions topic(String topic) {
        return topics(topic);
    }

    public static ListenerOptions topics(String... topics) {
        return new ListenerOptions(List.of(topics), Concurrency.fixed(0), Optional.empty(), Optional.empty());
    }

    /** Always {@code workers} dedicated consumer workers; 0 shares the application's pool worker. */
    public ListenerOptions concurrency(int workers) {
        return concurrency(Concurrency.fixed(workers));
    }

    /** Dedicated consumer workers following the backlog: {@code concurrency(Concurrency.byLag().tier(0, 1).tier(1_000, 2))}. */
    public ListenerOptions concurrency(Concurrency workers) {
        return new ListenerOptions(topics, workers, retry, name);
    }

    public ListenerOptions retry(RetryStrategy strategy) {
        return new ListenerOptions(topics, concurrency, Optional.of(strategy), name);
    }

    public ListenerOptions name(String listenerName) {
        return new ListenerOptions(topics, concurrency, retry, Optional.of(listenerName));
    }
}
