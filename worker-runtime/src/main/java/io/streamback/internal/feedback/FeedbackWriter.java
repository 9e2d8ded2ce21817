package io.streamback.internal.feedback;

import io.streamback.StreamUnavailableException;
import io.streamback.internal.metrics.ListenerMetrics;
import io.streamback.internal.redis.FeedbackStore;
import io.streamback.internal.redis.FeedbackStore.Delivery;
import io.streamback.internal.tracing.ListenerSpan;
import io.streamback.internal.wire.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listener side of the feedback stream: pushes replies and end markers for one application. */
public final class FeedbackWriter {
    private static final Logger log = LoggerFactory.getLogger(FeedbackWriter.class);

    private final FeedbackStore store;
    private final String sourceGroup;
    private final Duration ttl;
    private final ListenerMetrics metrics;
    private final AtomicBoolean warnedNoFeedbackStream = new AtomicBoolean();
    /** The same for every record handled without error: written once. */
    private final String successEnd;

    /** @param store the feedback stream; null when Streamback runs one-way, and replies are dropped */
    public FeedbackWriter(FeedbackStore store, String sourceGroup, Duration ttl, ListenerMetrics metrics) {
        this.store = store;
        this.sourceGroup = sourceGroup;
        this.ttl = ttl;
        this.metrics = metrics;
        this.successEnd = WireFormat.encodeEnd(null, sourceGroup);
    }

    /**
     * Pushes a reply after the replies before it, on this thread or the store's writer thread as
     * {@code delivery} says; without a feedback stream or feedback topic it is dropped with a warning.
     * A reply Redis can't take now is kept and pushed again, like an end marker.
     */
    public void respond(String feedbackTopic, Object value, Delivery delivery) {
        if (store == null) {
            if (warnedNoFeedbackStream.compareAndSet(false, true)) {
                log.warn("Dropping replies: Streamback '{}' has no feedback stream "
                        + "(add feedback=redis://HOST:PORT to the streams URL)", sourceGroup);
            }
            return;
        }
        if (feedbackTopic == null) {
            log.warn("Dropping a reply: the message carries no feedback_topic");
            return;
        }
        store.push(feedbackTopic, WireFormat.encodeResponse(value, sourceGroup), ttl, delivery);
        metrics.replySent();
        ListenerSpan.responded();
    }

    /** An end marker still to be pushed: {@code error} is null when every listener returned normally. */
    public record End(String feedbackTopic, String error) {
    }

    /** Whether end markers go anywhere: a feedback stream is configured. */
    public boolean hasFeedbackStream() {
        return store != null;
    }

    /**
     * Pushes end markers, after the replies queued before them, in one round trip; those without a
     * feedback topic are skipped. Returns once Redis has them.
     *
     * @throws StreamUnavailableException when Redis did not take them now (they are kept and pushed again)
     */
    public void endAll(List<End> ends) {
        if (store == null) {
            return;
        }
        // A loop, not a stream: this runs for every batch, and the stream cost a tenth of it.
        List<Map.Entry<String, String>> entries = new ArrayList<>(ends.size());
        for (End end : ends) {
            if (end.feedbackTopic() != null) {
                entries.add(Map.entry(end.feedbackTopic(),
                        end.error() == null ? successEnd : WireFormat.encodeEnd(end.error(), sourceGroup)));
            }
        }
        try {
            store.pushAll(entries, ttl).join();
        } catch (CompletionException e) {
            throw (StreamUnavailableException) e.getCause(); // the store fails its futures with nothing else
        }
    }
}
