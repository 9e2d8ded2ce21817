package io.streamback.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * The listener metrics Streamback records, tagged by listener and topic:
 * {@code streamback_records_consumed_total}, {@code _failed_total}, {@code _rejected_total}, {@code _retried_total},
 * {@code streamback_handler_seconds} (a histogram) and {@code streamback_feedback_replies_total};
 * {@code streamback_flush_failures_total}, {@code streamback_dead_letters_failed_total},
 * {@code streamback_partitions_revoked_total} (by worker) and {@code streamback_supervision_failures_total};
 * for listeners scaled by lag, {@code streamback_listener_lag} and {@code streamback_listener_workers}.
 */
public final class ListenerMetrics {
    /**
     * The meters of one listener on one topic, registered once: the dispatcher keeps them, so that
     * recording a record looks nothing up (a map lookup per record was a third of the cost of
     * dispatching to a no-op listener).
     */
    public static final class Meters {
        private final Counter consumed;
        private final Counter failed;
        private final Counter rejected;
        private final Counter retried;
        private final Timer handler;

        private Meters(Counter consumed, Counter failed, Counter rejected, Counter retried, Timer handler) {
            this.consumed = consumed;
            this.failed = failed;
            this.rejected = rejected;
            this.retried = retried;
            this.handler = handler;
        }

        /** The listener finished one record, after {@code elapsed} (retries included). */
        public void consumed(long elapsedNanos, Result result) {
            consumed.increment();
            switch (result) {
                case FAILED -> failed.increment();
                case REJECTED -> rejected.increment();
                case HANDLED -> { }
            }
            handler.record(elapsedNanos, TimeUnit.NANOSECONDS);
        }

        /** The listener failed on a record and is given it again. */
        public void retried() {
            retried.increment();
        }
    }

    /** How a listener finished a record. */
    public enum Result {
        HANDLED,
        /** It threw {@code InvalidInputException}: the caller's mistake, apart from failures so alerts on those stay meaningful. */
        REJECTED,
        FAILED
    }

    private record Key(String listener, String topic) {
    }

    private final MeterRegistry registry;
    private final Counter replies;
    private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

    public ListenerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.replies = Counter.builder("streamback.feedback.replies")
                .description("Replies pushed to producers' feedback topics")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A supervision step (a worker restart, the tick callbacks) threw; supervision went on. */
    public void supervisionFailed() {
        Counter.builder("streamback.supervision.failures")
                .description("Supervision steps (worker restarts, tick callbacks) that threw; supervision goes on")
                .register(registry).increment();
    }

    /** A listener's flush failed: its records since its last flush are delivered again. */
    public void flushFailed(String listener) {
        Counter.builder("streamback.flush.failures")
                .description("Listener flushes that failed; the records since the last flush are delivered again")
                .tags("listener", listener)
                .register(registry).increment();
    }

    /** Sending a failed record of {@code topic} to its dead-letter topic failed; its partition waits paused. */
    public void deadLetterFailed(String topic) {
        Counter.builder("streamback.dead.letters.failed")
                .description("Dead-letter sends that failed; the record's partition waits paused and the send is retried")
                .tags("topic", topic)
                .register(registry).increment();
    }

    /** A rebalance took {@code count} partitions from {@code worker}. */
    public void partitionsRevoked(String worker, int count) {
        Counter.builder("streamback.partitions.revoked")
                .description("Partitions a rebalance took from a consumer worker")
                .tags("worker", worker)
                .register(registry).increment(count);
    }


    /** The meters of {@code listener} on {@code topic}, registered on first use. */
    public Meters of(String listener, String topic) {
        return meters.computeIfAbsent(new Key(listener, topic), key -> new Meters(
                Counter.builder("streamback.records.consumed")
                        .description("Records handed to a listener, whatever the outcome")
                        .tags("listener", listener, "topic", topic)
                        .register(registry),
                Counter.builder("streamback.records.failed")
                        .description("Records a listener failed on after its last retry")
                        .tags("listener", listener, "topic", topic)
                        .register(registry),
                Counter.builder("streamback.records.rejected")
                        .description("Records a listener rejected as the caller's mistake (InvalidInputException)")
                        .tags("listener", listener, "topic", topic)
                        .register(registry),
                Counter.builder("streamback.records.retried")
                        .description("Retries of a record after a listener failed")
                        .tags("listener", listener, "topic", topic)
                        .register(registry),
                Timer.builder("streamback.handler")
                        .description("Time a listener took for one record, retries included")
                        .tags("listener", listener, "topic", topic)
                        .publishPercentileHistogram()
                        .register(registry)));
    }

    /**
     * Gauges of a listener scaled by lag: its group's unread records on its topics (NaN until read,
     * and while unreadable) and its dedicated workers.
     */
    public void scaling(String listener, DoubleSupplier lag, IntSupplier workers) {
        Gauge.builder("streamback.listener.lag", lag::getAsDouble)
                .description("Records of the listener's topics its consumer group has not committed yet")
                .tags("listener", listener)
                .strongReference(true)
                .register(registry);
        Gauge.builder("streamback.listener.workers", workers::getAsInt)
                .description("Dedicated consumer workers of the listener")
                .tags("listener", listener)
                .strongReference(true)
                .register(registry);
    }

    public void replySent() {
        replies.increment();
    }
}
