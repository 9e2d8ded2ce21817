package io.streamback.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One side of the comparison, set up for one run: a listener of some {@link ListenerKind} on a
 * fresh topic in a fresh consumer group, and a producer that talks to it. Thread-safe.
 */
public interface Contender extends AutoCloseable {

    /** The listener's consumer group. */
    String group();

    /** Sends {@code value} and waits for the first reply. */
    Optional<JsonNode> call(JsonNode value, Duration timeout) throws Exception;

    /** Sends {@code value} one-way; completes when the broker has it. */
    CompletableFuture<?> send(JsonNode value);

    /** Sends {@code value} and reads every reply until the listener's end; returns how many came. */
    long stream(JsonNode value, Duration timeout) throws Exception;

    /** How many records the listener has handled so far. */
    long handled();

    /** Stops the listener (committing what it handled) and the producer. */
    @Override
    void close();

    /** Waits until the listener has handled {@code count} records in all. */
    default void awaitHandled(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handled() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the listener handled " + handled() + " of " + count
                        + " records within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(0, 200_000);
        }
    }
}
