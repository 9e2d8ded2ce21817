package io.streamback.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The listener metrics Streamback records, tagged by listener and topic:
 * {@code streamback_records_consumed_total}, {@code _failed_total}, {@code _retried_total},
 * {@code streamback_handler_seconds} (a histogram) and {@code streamback_feedback_replies_total}.
 */
public final class ListenerMetrics {
    private final MeterRegistry registry;
    private final Counter replies;

    public ListenerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.replies = Counter.builder("streamback.feedback.replies")
                .description("Replies pushed to producers' feedback topics")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** One listener finished one record, after {@code elapsed} (retries included). */
    public void consumed(String listener, String topic, Duration elapsed, boolean failed) {
        Counter.builder("streamback.records.consumed")
                .description("Records handed to a listener, whatever the outcome")
                .tags("listener", listener, "topic", topic)
                .register(registry).increment();
        if (failed) {
            Counter.builder("streamback.records.failed")
                    .description("Records a listener failed on after its last retry")
                    .tags("listener", listener, "topic", topic)
                    .register(registry).increment();
        }
        Timer.builder("streamback.handler")
                .description("Time a listener took for one record, retries included")
                .tags("listener", listener, "topic", topic)
                .publishPercentileHistogram()
                .register(registry).record(elapsed);
    }

    /** A listener is about to retry a record. */
    public void retried(String listener, String topic) {
        Counter.builder("streamback.records.retried")
                .description("Retries of a record after a listener failed")
                .tags("listener", listener, "topic", topic)
                .register(registry).increment();
    }

    public void replySent() {
        replies.increment();
    }
}
