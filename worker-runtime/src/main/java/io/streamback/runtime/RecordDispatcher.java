package io.streamback.runtime;

import io.streamback.Streamback;
import io.streamback.StreambackException;
import io.streamback.feedback.FeedbackWriter;
import io.streamback.health.ListenerMetrics;
import io.streamback.listener.Context;
import io.streamback.listener.Listener;
import io.streamback.listener.ListenerDefinition;
import io.streamback.listener.Message;
import io.streamback.listener.RetryStrategy;
import io.streamback.wire.MainRecord;
import io.streamback.wire.MalformedRecordException;
import io.streamback.wire.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles main stream records for one consumer worker, with that worker's own listener
 * instances: calls every listener of the record's topic in turn (with retries and callbacks),
 * then queues the end marker, carrying the listeners' errors if any, for the producer.
 * {@link #pushEndMarkers()} sends the queued markers in one Redis round trip; the worker calls
 * it before it counts the records as done.
 */
public final class RecordDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RecordDispatcher.class);
    private static final long FEEDBACK_WARNING_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    /** A listener instance of this worker, with the retry strategy that applies to it. */
    private record Bound(ListenerDefinition definition, Listener listener, RetryStrategy retry) {
    }

    private final Streamback streamback;
    private final Map<String, List<Bound>> listenersByTopic = new LinkedHashMap<>();
    private final FeedbackWriter feedback;
    private final Callbacks callbacks;
    private final ListenerMetrics metrics;
    private final DeadLetters deadLetters;
    private final List<FeedbackWriter.End> pendingEnds = new ArrayList<>();
    private long oldestPendingEndNanos;
    private final AtomicLong droppedEndMarkers = new AtomicLong();
    private volatile long lastFeedbackWarning = System.nanoTime() - FEEDBACK_WARNING_INTERVAL_NANOS;

    /**
     * Makes one instance of each listener in {@code definitions} for this worker.
     *
     * @param deadLetters where records that can't be handled go; null to only log them
     */
    public RecordDispatcher(Streamback streamback, List<ListenerDefinition> definitions, RetryStrategy defaultRetry,
                            FeedbackWriter feedback, Callbacks callbacks, ListenerMetrics metrics,
                            DeadLetters deadLetters) {
        this.streamback = streamback;
        this.deadLetters = deadLetters;
        this.feedback = feedback;
        this.callbacks = callbacks;
        this.metrics = metrics;
        for (ListenerDefinition definition : definitions) {
            Bound bound = new Bound(definition, definition.factory().get(), definition.retry().orElse(defaultRetry));
            for (String topic : definition.topics()) {
                listenersByTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(bound);
            }
        }
    }

    /**
     * Handles one record. Listener failures and malformed records are reported (to the producer,
     * the log and the callbacks) and kept in the dead-letter topic; then the record counts as done.
     *
     * @return false when the record is not done: the thread was interrupted while waiting to
     *         retry, or a record that failed could not be kept in the dead-letter topic
     */
    public boolean dispatch(ConsumerRecord<String, byte[]> record) {
        MainRecord decoded;
        try {
            decoded = WireFormat.decodeMessage(record.value());
        } catch (MalformedRecordException e) {
            String error = errorText(e);
            log.warn("Record {}-{}@{} is not a Streamback message: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            e.feedbackTopic().ifPresent(feedbackTopic -> queueEnd(feedbackTopic, error));
            return keepDeadLetter(record, error);
        }
        Message message = new Message(record.topic(), record.partition(), record.offset(), record.key(), decoded, feedback);
        List<String> errors = new ArrayList<>();
        for (Bound bound : listenersByTopic.getOrDefault(record.topic(), List.of())) {
            Context context = new Context(streamback, bound.definition().name());
            Exception failure;
            try {
                failure = consume(bound, context, message);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (failure != null) {
                log.error("Listener {} failed on record {}-{}@{}", bound.definition().name(),
                        record.topic(), record.partition(), record.offset(), failure);
                errors.add(errorText(failure));
            }
        }
        String error = errors.isEmpty() ? null : String.join(", ", errors);
        if (decoded.feedbackTopic() != null) {
            queueEnd(decoded.feedbackTopic(), error);
        }
        return error == null || keepDeadLetter(record, error);
    }

    private void queueEnd(String feedbackTopic, String error) {
        if (!feedback.hasFeedbackStream()) {
            return;
        }
        if (pendingEnds.isEmpty()) {
            oldestPendingEndNanos = System.nanoTime();
        }
        pendingEnds.add(new FeedbackWriter.End(feedbackTopic, error));
    }

    private boolean keepDeadLetter(ConsumerRecord<String, byte[]> record, String error) {
        return deadLetters == null || deadLetters.keep(record, error);
    }

    /** How long the oldest queued end marker has waited; zero when none waits. */
    public Duration endMarkersWaiting() {
        return pendingEnds.isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - oldestPendingEndNanos);
    }

    /** Flushes every listener instance of this worker; a failing flush is logged. */
    public void flushAll() {
        Set<Listener> flushed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Bound> bounds : listenersByTopic.values()) {
            for (Bound bound : bounds) {
                if (flushed.add(bound.listener())) {
                    try {
                        bound.listener().flush();
                    } catch (Exception e) {
                        log.error("Listener {} failed to flush", bound.definition().name(), e);
                    }
                }
            }
        }
    }

    /** Runs one listener with its retries; returns its final failure, or null. */
    private Exception consume(Bound bound, Context context, Message message) throws InterruptedException {
        String name = bound.definition().name();
        long start = System.nanoTime();
        callbacks.consumeBegin(context, message);
        Exception failure = null;
        for (int attempt = 1; ; attempt++) {
            try {
                bound.listener().consume(context, message);
                failure = null;
                break;
            } catch (Exception e) {
                failure = e;
                if (!bound.retry().shouldRetry(e, attempt)) {
                    break;
                }
                Duration delay = bound.retry().delayBefore(attempt);
                log.warn("Listener {} failed on {} (attempt {} of {}), retrying in {} ms: {}", name, message,
                        attempt, bound.retry().times() + 1, delay.toMillis(), e.toString());
                metrics.retried(name, message.topic());
                Thread.sleep(delay.toMillis());
            }
        }
        if (failure != null) {
            callbacks.consumeException(context, message, failure);
        }
        callbacks.consumeEnd(context, message, failure);
        metrics.consumed(name, message.topic(), Duration.ofNanos(System.nanoTime() - start), failure != null);
        return failure;
    }

    /** Pushes every queued end marker in one round trip. Redis being down must not stop the main stream. */
    public void pushEndMarkers() {
        if (pendingEnds.isEmpty()) {
            return;
        }
        try {
            feedback.endAll(pendingEnds);
        } catch (StreambackException e) {
            // Say so once per interval, not per record.
            long dropped = droppedEndMarkers.addAndGet(pendingEnds.size());
            long now = System.nanoTime();
            if (now - lastFeedbackWarning >= FEEDBACK_WARNING_INTERVAL_NANOS) {
                lastFeedbackWarning = now;
                droppedEndMarkers.set(0);
                log.warn("Could not push {} end marker(s) to the feedback stream: {}", dropped, e.getMessage());
            }
        } finally {
            pendingEnds.clear();
        }
    }

    /** The text the producer sees: the exception's simple type name and its message, e.g. {@code IllegalStateException: boom}. */
    static String errorText(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
