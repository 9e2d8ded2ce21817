package io.streamback.internal.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.InvalidMessageException;
import io.streamback.StreamUnavailableException;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.FeedbackTimeoutException;
import io.streamback.feedback.Reply;
import io.streamback.internal.redis.FeedbackStore;
import io.streamback.internal.tracing.FeedbackTrace;
import io.streamback.internal.wire.FeedbackEntry;
import io.streamback.internal.wire.MalformedRecordException;
import io.streamback.internal.wire.WireFormat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FeedbackLane} read from the feedback topic's Redis list. A {@link #stream} takes the
 * entries already behind the one it reads in the same round trip (up to {@link #READ_AHEAD}), so a
 * long stream of replies costs one round trip per batch of them, not per reply; closing the stream
 * gives back those it did not read, for whoever reads the feedback topic next.
 */
public final class RedisFeedbackLane implements FeedbackLane {
    private static final Logger log = LoggerFactory.getLogger(RedisFeedbackLane.class);
    /** How long one read waits, at most, while Kafka has not yet acknowledged the message. */
    private static final Duration SEND_CHECK_INTERVAL = Duration.ofMillis(100);
    /** How many entries one round trip takes at most; bounds the memory a lane holds. */
    private static final int READ_AHEAD = 32;

    private final String topic;
    private final String feedbackTopic;
    private final FeedbackStore store;
    private final Duration defaultTimeout;
    private final Duration feedbackTtl;
    private final CompletableFuture<?> sent;
    private final Executor asyncExecutor;
    private final FeedbackTrace trace;

    /** Entries popped with an earlier one and not read yet, oldest first. */
    private final Deque<String> ahead = new ArrayDeque<>();
    private boolean ended;
    private String endError;
    private String endGroup;

    /**
     * @param topic  the topic the message went to; null for a lane resumed from its feedback topic
     * @param store  the feedback stream; null when Streamback runs one-way
     * @param feedbackTtl the time to live of entries a stream gives back
     * @param sent   completes when Kafka has the message
     * @param trace  spans for the waits for replies
     */
    public RedisFeedbackLane(String topic, String feedbackTopic, FeedbackStore store, Duration defaultTimeout,
                             Duration feedbackTtl, CompletableFuture<?> sent, Executor asyncExecutor, FeedbackTrace trace) {
        this.topic = topic;
        this.feedbackTopic = feedbackTopic;
        this.store = store;
        this.defaultTimeout = defaultTimeout;
        this.feedbackTtl = feedbackTtl;
        this.sent = sent;
        this.asyncExecutor = asyncExecutor;
        this.trace = trace;
    }

    @Override
    public String feedbackTopic() {
        return feedbackTopic;
    }

    @Override
    public CompletableFuture<Void> sent() {
        return sent.thenApply(ignored -> null); // a future of its own: completing it leaves the lane's alone
    }

    @Override
    public Optional<Reply<JsonNode>> read() {
        return read(null, defaultTimeout, JsonNode.class);
    }

    @Override
    public Optional<Reply<JsonNode>> read(Duration timeout) {
        return read(null, timeout, JsonNode.class);
    }

    @Override
    public <T> Optional<Reply<T>> read(Class<T> type) {
        return read(null, defaultTimeout, type);
    }

    @Override
    public <T> Optional<Reply<T>> read(Duration timeout, Class<T> type) {
        return read(null, timeout, type);
    }

    @Override
    public synchronized <T> Optional<Reply<T>> read(String fromGroup, Duration timeout, Class<T> type) {
        checkTimeout(timeout);
        return trace.read(() -> next(fromGroup, timeout, 1)).map(entry -> toReply(entry, type));
    }

    @Override
    public Stream<Reply<JsonNode>> stream() {
        return stream(null, defaultTimeout, JsonNode.class);
    }

    @Override
    public Stream<Reply<JsonNode>> stream(Duration timeout) {
        return stream(null, timeout, JsonNode.class);
    }

    @Override
    public <T> Stream<Reply<T>> stream(Class<T> type) {
        return stream(null, defaultTimeout, type);
    }

    @Override
    public <T> Stream<Reply<T>> stream(Duration timeout, Class<T> type) {
        return stream(null, timeout, type);
    }

    @Override
    public <T> Stream<Reply<T>> stream(String fromGroup, Duration timeout, Class<T> type) {
        checkTimeout(timeout);
        FeedbackTrace.ReplyStream traced = trace.stream();
        int characteristics = Spliterator.ORDERED | Spliterator.NONNULL;
        Spliterator<Reply<T>> replies = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, characteristics) {
            @Override
            public boolean tryAdvance(Consumer<? super Reply<T>> action) {
                Reply<T> reply;
                synchronized (RedisFeedbackLane.this) {
                    Optional<FeedbackEntry> entry = traced.next(() -> next(fromGroup, timeout, READ_AHEAD));
                    if (entry.isEmpty()) {
                        return false;
                    }
                    reply = toReply(entry.get(), type);
                }
                action.accept(reply);
                return true;
            }
        };
        return StreamSupport.stream(replies, false).onClose(this::giveBackReadAhead).onClose(traced::close);
    }

    @Override
    public CompletableFuture<Optional<Reply<JsonNode>>> readAsync() {
        return readAsync(null, defaultTimeout, JsonNode.class);
    }

    @Override
    public CompletableFuture<Optional<Reply<JsonNode>>> readAsync(Duration timeout) {
        return readAsync(null, timeout, JsonNode.class);
    }

    @Override
    public <T> CompletableFuture<Optional<Reply<T>>> readAsync(Duration timeout, Class<T> type) {
        return readAsync(null, timeout, type);
    }

    @Override
    public <T> CompletableFuture<Optional<Reply<T>>> readAsync(String fromGroup, Duration timeout, Class<T> type) {
        checkTimeout(timeout);
        return CompletableFuture.supplyAsync(() -> read(fromGroup, timeout, type), asyncExecutor);
    }

    @Override
    public synchronized boolean isEnded() {
        return ended;
    }

    /** A JSON null stays null whatever the type, also for {@code JsonNode}: one null, however it is read. */
    private static <T> Reply<T> toReply(FeedbackEntry entry, Class<T> type) {
        T value = entry.value() == null || entry.value().isNull() ? null : WireFormat.convert(entry.value(), type);
        return new Reply<>(value, Optional.ofNullable(entry.sourceGroup()));
    }

    /** The next entry for {@code fromGroup}; {@code upTo} entries are taken per round trip, the others kept. */
    private Optional<FeedbackEntry> next(String fromGroup, Duration timeout, int upTo) {
        if (store == null) {
            throw new IllegalStateException("Streamback has no feedback stream: add feedback=redis://HOST:PORT "
                    + "to the streams URL to read replies");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ended) {
                if (endError != null) {
                    throw new FeedbackErrorException(topic, endError, endGroup);
                }
                return Optional.empty();
            }
            failIfNotSent();
            long remaining = deadline - System.nanoTime();
            // Until Kafka has the message, read in short slices, so that a refused message fails the read
            // soon rather than after its whole timeout. Not waiting for the ack first: the reply may come
            // before it, and waking this thread for the ack costs every call a context switch.
            long wait = sent.isDone() ? remaining : Math.min(remaining, SEND_CHECK_INTERVAL.toNanos());
            String raw = ahead.isEmpty() && remaining > 0 ? popUpTo(Duration.ofNanos(wait), upTo) : ahead.poll();
            if (raw == null) {
                failIfNotSent();
                if (deadline - System.nanoTime() > 0) {
                    continue;
                }
                throw new FeedbackTimeoutException(topic, feedbackTopic, timeout);
            }
            FeedbackEntry entry;
            try {
                entry = WireFormat.decodeFeedback(raw);
            } catch (MalformedRecordException e) {
                log.warn("Skipping a malformed entry on feedback topic {}: {}", feedbackTopic, e.getMessage());
                continue;
            }
            if (fromGroup != null && !fromGroup.equals(entry.sourceGroup())) {
                continue;
            }
            if (entry.isResponse()) {
                return Optional.of(entry);
            }
            if (entry.isEnd() || entry.isEndWithError()) {
                ended = true;
                endGroup = entry.sourceGroup();
                endError = entry.isEndWithError() ? String.valueOf(entry.error()) : null;
            }
        }
    }

    /** Pops the next entry, keeping those behind it that came in the same round trip; null when none came. */
    private String popUpTo(Duration wait, int upTo) {
        List<String> popped = store.popUpTo(feedbackTopic, wait, upTo);
        if (popped.isEmpty()) {
            return null;
        }
        ahead.addAll(popped.subList(1, popped.size()));
        return popped.get(0);
    }

    /** Puts the entries taken ahead and not read back at the front of the list, oldest first. */
    private synchronized void giveBackReadAhead() {
        if (ahead.isEmpty()) {
            return;
        }
        try {
            store.pushBack(feedbackTopic, List.copyOf(ahead), feedbackTtl);
            ahead.clear();
        } catch (StreamUnavailableException e) {
            log.warn("Could not give back {} feedback entries read ahead on {}; this lane keeps them: {}",
                    ahead.size(), feedbackTopic, e.getMessage());
        }
    }

    private static void checkTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("A feedback timeout is a positive Duration, got " + timeout);
        }
    }

    private void failIfNotSent() {
        if (sent.isCompletedExceptionally()) {
            Throwable cause = sent.handle((ok, error) -> error).join();
            if (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof InvalidMessageException invalid) {
                throw invalid;
            }
            throw new StreamUnavailableException("The message to topic '" + topic + "' was not sent, "
                    + "so no feedback will come: " + cause.getMessage(), cause);
        }
    }
}
