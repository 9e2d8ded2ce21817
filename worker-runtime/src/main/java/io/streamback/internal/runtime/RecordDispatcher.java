package io.streamback.internal.runtime;

import io.streamback.StreambackException;
import io.streamback.internal.feedback.FeedbackWriter;
import io.streamback.internal.metrics.ListenerMetrics;
import io.streamback.internal.tracing.EndMarkerSpans;
import io.streamback.internal.tracing.ListenerSpan;
import io.streamback.internal.tracing.ListenerTracing;
import io.streamback.internal.tracing.ProducerContext;
import io.streamback.internal.wire.MainRecord;
import io.streamback.internal.wire.MalformedRecordException;
import io.streamback.internal.wire.WireFormat;
import io.streamback.listener.Context;
import io.streamback.listener.InvalidInputException;
import io.streamback.listener.Listener;
import io.streamback.listener.ListenerDefinition;
import io.streamback.listener.ListenerErrorException;
import io.streamback.listener.Message;
import io.streamback.listener.RetryStrategy;
import io.streamback.listener.Sender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

    /** A listener instance on one of its topics, with its meters there. */
    private record OnTopic(Bound bound, ListenerMetrics.Meters meters) {
    }

    /** What became of a record. */
    public enum Outcome {
        /** Handled, or failed and kept in the dead-letter topic: it may be committed. */
        DONE,
        /** Interrupted before its listeners were done: deliver it again. */
        INTERRUPTED,
        /** Its listeners ran and failed, but its dead letter could not be sent: retry the send alone. */
        DEAD_LETTER_FAILED
    }

    /** The outcome of one record, and for {@link Outcome#DEAD_LETTER_FAILED} the error its dead letter carries. */
    public record Dispatched(Outcome outcome, String error) {
        static final Dispatched DONE = new Dispatched(Outcome.DONE, null);
        static final Dispatched INTERRUPTED = new Dispatched(Outcome.INTERRUPTED, null);
    }

    private final Sender streamback;
    private final Map<String, List<OnTopic>> listenersByTopic = new LinkedHashMap<>();
    /** The topic of the last record dispatched, and its listeners. */
    private String lastTopic;
    private List<OnTopic> lastListeners;
    private final FeedbackWriter feedback;
    private final Callbacks callbacks;
    private final ListenerMetrics metrics;
    private final DeadLetterSink deadLetters;
    private final ListenerTracing tracing;
    private final EndMarkerSpans endMarkerSpans;
    private final Set<String> bufferingTopics = new HashSet<>();
    private final List<FeedbackWriter.End> pendingEnds = new ArrayList<>();
    private long oldestPendingEndNanos;
    private final AtomicLong droppedEndMarkers = new AtomicLong();
    private volatile long lastFeedbackWarning = System.nanoTime() - FEEDBACK_WARNING_INTERVAL_NANOS;

    /**
     * Makes one instance of each listener in {@code definitions} for this worker.
     *
     * @param deadLetters where records that can't be handled go; null to only log them
     */
    public RecordDispatcher(Sender streamback, List<ListenerDefinition> definitions, RetryStrategy defaultRetry,
                            FeedbackWriter feedback, Callbacks callbacks, ListenerMetrics metrics,
                            DeadLetterSink deadLetters, ListenerTracing tracing) {
        this.streamback = streamback;
        this.tracing = tracing;
        this.endMarkerSpans = tracing.endMarkers();
        this.deadLetters = deadLetters;
        this.feedback = feedback;
        this.callbacks = callbacks;
        this.metrics = metrics;
        for (ListenerDefinition definition : definitions) {
            Bound bound = new Bound(definition, definition.factory().get(), definition.retry().orElse(defaultRetry));
            for (String topic : definition.topics()) {
                listenersByTopic.computeIfAbsent(topic, t -> new ArrayList<>())
                        .add(new OnTopic(bound, metrics.of(definition.name(), topic)));
            }
            if (overridesFlush(bound.listener())) {
                bufferingTopics.addAll(definition.topics());
            }
        }
    }

    /**
     * Handles one record. Listener failures (exceptions and errors alike) and malformed records are
     * reported (to the producer, the log and the callbacks) and kept in the dead-letter topic; then
     * the record counts as done. A rejection ({@link InvalidInputException}) is reported the same way,
     * but logged in one line and kept nowhere: the caller has the reason, and the record nothing to replay.
     *
     * @param moreFollow whether the worker has more records in hand after this one (its replies are then
     *                   left to the feedback store's writer thread)
     */
    public Dispatched dispatch(ConsumerRecord<String, byte[]> record, boolean moreFollow) {
        ProducerContext sender = tracing.senderOf(record);
        MainRecord decoded;
        try {
            decoded = WireFormat.decodeMessage(record.value());
        } catch (MalformedRecordException e) {
            String error = errorText(e);
            log.warn("Record {}-{}@{} is not a Streamback message: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            e.feedbackTopic().ifPresent(feedbackTopic -> queueEnd(feedbackTopic, error, sender, record.topic()));
            return keepDeadLetter(record, error);
        }
        Message message = new ReceivedMessage(record.topic(), record.partition(), record.offset(), record.key(), decoded,
                feedback, moreFollow);
        List<String> errors = new ArrayList<>();
        boolean failed = false;
        for (OnTopic onTopic : listenersOf(record.topic())) {
            Bound bound = onTopic.bound();
            Context context = new Context(streamback, bound.definition().name());
            Throwable failure;
            try (ListenerSpan span = tracing.start(sender, record, bound.definition().name(), decoded.feedbackTopic())) {
                failure = consume(bound, onTopic.meters(), context, message);
                span.failed(failure);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Dispatched.INTERRUPTED;
            }
            if (failure instanceof InvalidInputException rejection) {
                log.warn("Listener {} rejected record {}-{}@{}: {}", bound.definition().name(),
                        record.topic(), record.partition(), record.offset(), rejection.getMessage());
                errors.add(errorText(failure));
            } else if (failure != null) {
                log.error("Listener {} failed on record {}-{}@{}", bound.definition().name(),
                        record.topic(), record.partition(), record.offset(), failure);
                errors.add(errorText(failure));
                failed = true;
            }
        }
        String error = errors.isEmpty() ? null : String.join(", ", errors);
        if (decoded.feedbackTopic() != null) {
            queueEnd(decoded.feedbackTopic(), error, sender, record.topic());
        }
        // A rejected record is the caller's to fix and is answered to them; only listener failures are kept.
        return failed ? keepDeadLetter(record, error) : Dispatched.DONE;
    }

    /** The listeners of {@code topic}; Kafka gives every record of a fetched partition the same topic string. */
    private List<OnTopic> listenersOf(String topic) {
        if (topic != lastTopic) {
            lastListeners = listenersByTopic.getOrDefault(topic, List.of());
            lastTopic = topic;
        }
        return lastListeners;
    }

    private void queueEnd(String feedbackTopic, String error, ProducerContext sender, String topic) {
        if (!feedback.hasFeedbackStream()) {
            return;
        }
        if (pendingEnds.isEmpty()) {
            oldestPendingEndNanos = System.nanoTime();
        }
        pendingEnds.add(new FeedbackWriter.End(feedbackTopic, error));
        endMarkerSpans.queued(sender, topic, error);
    }

    private Dispatched keepDeadLetter(ConsumerRecord<String, byte[]> record, String error) {
        return retryDeadLetter(record, error) ? Dispatched.DONE : new Dispatched(Outcome.DEAD_LETTER_FAILED, error);
    }

    /** Sends a failed record's dead letter (again); false when it could not be kept. Thread-safe. */
    public boolean retryDeadLetter(ConsumerRecord<String, byte[]> record, String error) {
        return deadLetters == null || deadLetters.keep(record, error);
    }

    /** Whether a listener of {@code topic} buffers (overrides {@link Listener#flush()}): its records are committed only once flushed. */
    public boolean buffers(String topic) {
        return bufferingTopics.contains(topic);
    }

    /** Whether the oldest queued end marker has waited {@code delay} or longer; false when none waits. */
    public boolean endMarkersWaited(Duration delay) {
        return !pendingEnds.isEmpty() && System.nanoTime() - oldestPendingEndNanos >= delay.toNanos();
    }

    /**
     * Flushes every listener instance of this worker. Call it on the thread that calls
     * {@link #dispatch}, never concurrently with it.
     *
     * @return the topics of the listeners whose flush failed (logged): their records since the last
     *         successful flush must be delivered again
     */
    public Set<String> flushAll() {
        Set<Listener> flushed = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> failedTopics = new LinkedHashSet<>();
        for (List<OnTopic> onTopics : listenersByTopic.values()) {
            for (OnTopic onTopic : onTopics) {
                Bound bound = onTopic.bound();
                if (flushed.add(bound.listener())) {
                    try {
                        bound.listener().flush();
                    } catch (Exception | Error e) {
                        log.error("Listener {} failed to flush; its records since its last flush will be delivered again",
                                bound.definition().name(), e);
                        metrics.flushFailed(bound.definition().name());
                        failedTopics.addAll(bound.definition().topics());
                    }
                }
            }
        }
        return failedTopics;
    }

    /**
     * Runs one listener with its retries; returns its final failure, or null. An {@link Error} fails
     * the record like an exception, without retries: an assertion, a stack overflow or one handler's
     * oversized allocation must not take the worker down and have the record read again forever.
     */
    private Throwable consume(Bound bound, ListenerMetrics.Meters meters, Context context, Message message)
            throws InterruptedException {
        String name = bound.definition().name();
        long start = System.nanoTime();
        callbacks.consumeBegin(context, message);
        Throwable failure = null;
        for (int attempt = 1; ; attempt++) {
            try {
                bound.listener().consume(context, message);
                failure = null;
                break;
            } catch (Error e) {
                failure = e;
                break;
            } catch (Exception e) {
                failure = e;
                if (!bound.retry().shouldRetry(e, attempt)) {
                    break;
                }
                Duration delay = bound.retry().delayBefore(attempt);
                log.warn("Listener {} failed on {} (attempt {} of {}), retrying in {} ms: {}", name, message,
                        attempt, bound.retry().times() + 1, delay.toMillis(), e.toString());
                meters.retried();
                Thread.sleep(delay.toMillis());
            }
        }
        Exception reported = failure == null ? null
                : failure instanceof Exception exception ? exception : new ListenerErrorException(failure);
        if (reported != null) {
            callbacks.consumeException(context, message, reported);
        }
        callbacks.consumeEnd(context, message, reported);
        meters.consumed(System.nanoTime() - start,
                failure == null ? ListenerMetrics.Result.HANDLED
                        : failure instanceof InvalidInputException ? ListenerMetrics.Result.REJECTED
                        : ListenerMetrics.Result.FAILED);
        return failure;
    }

    /** Pushes every queued end marker in one round trip. Redis being down must not stop the main stream. */
    public void pushEndMarkers() {
        if (pendingEnds.isEmpty()) {
            return;
        }
        StreambackException failure = null;
        try {
            feedback.endAll(pendingEnds);
        } catch (StreambackException e) {
            failure = e;
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
            endMarkerSpans.pushed(failure);
        }
    }

    private static boolean overridesFlush(Listener listener) {
        try {
            return listener.getClass().getMethod("flush").getDeclaringClass() != Listener.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("Listener.flush() is public", e);
        }
    }

    /** The text the producer sees: the exception's simple type name and its message, e.g. {@code IllegalStateException: boom}. */
    static String errorText(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
