package io.streamback.listener;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A registered listener: its name, topics, concurrency and retry strategy, and how to make an
 * instance of it for each consumer worker.
 */
public record ListenerDefinition(String name, List<String> topics, Concurrency concurrency,
                                 Optional<RetryStrategy> retry, Supplier<? extends Listener> factory) {

    public ListenerDefinition {
        topics = List.copyOf(topics);
        if (concurrency.tiers().isEmpty()) {
            throw new IllegalArgumentException("Listener " + name + ": Concurrency.byLag() needs tiers,"
                    + " the first at lag 0: .tier(0, 1).tier(1_000, 2)");
        }
    }

    /** The same listener on other topics (e.g. with the topics prefix applied, or filtered). */
    public ListenerDefinition withTopics(List<String> newTopics) {
        return new ListenerDefinition(name, newTopics, concurrency, retry, factory);
    }

    /** The same listener with {@code workers} dedicated workers if it asked for none of its own. */
    public ListenerDefinition withDefaultConcurrency(int workers) {
        boolean ownConcurrency = concurrency.scalesByLag() || concurrency.initialWorkers() > 0;
        return ownConcurrency || workers == 0 ? this
                : new ListenerDefinition(name, topics, Concurrency.fixed(workers), retry, factory);
    }
}
