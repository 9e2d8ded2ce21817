package io.streamback.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The replies to one sent message, as the listeners push them to its feedback topic.
 *
 * <p>{@code read} returns the next {@link Reply}, or empty once the listeners have finished without
 * (further) replies; {@code stream} yields every reply until the end. A null reply is a
 * {@code Reply} whose value is null, never the end. Calls on one lane may be
 * repeated and are taken in turn; a lane can be picked up again elsewhere from its
 * {@link #feedbackTopic()} alone (see {@code Streamback.continueStream}).
 *
 * <p>Timeouts: {@code read} waits at most its timeout in all; {@code stream} waits at most
 * its timeout for each reply. A listener failure raises {@link FeedbackErrorException},
 * no answer in time {@link FeedbackTimeoutException}.
 */
public interface FeedbackLane {
    /** The Redis key replies arrive on; enough to resume this lane in another process. */
    String feedbackTopic();

    /** Completes when the broker has acknowledged the message, or fails with why it could not be sent. */
    CompletableFuture<Void> sent();

    /** The next reply, waiting up to the default feedback timeout. */
    Optional<Reply<JsonNode>> read();

    /** The next reply, waiting up to {@code timeout}. */
    Optional<Reply<JsonNode>> read(Duration timeout);

    /** The next reply mapped to {@code type}, waiting up to the default feedback timeout. */
    <T> Optional<Reply<T>> read(Class<T> type);

    /** The next reply mapped to {@code type}, waiting up to {@code timeout}. */
    <T> Optional<Reply<T>> read(Duration timeout, Class<T> type);

    /**
     * The next reply from application {@code fromGroup} (null: from any), mapped to {@code type}.
     *
     * @return the reply, whose value is null for a null reply; empty once the listeners have
     *         finished without (further) replies
     * @throws FeedbackErrorException   when a listener failed on the message
     * @throws FeedbackTimeoutException when nothing came within {@code timeout}
     */
    <T> Optional<Reply<T>> read(String fromGroup, Duration timeout, Class<T> type);

    /** Every reply until the listeners finish, each waited for up to the default feedback timeout. */
    Stream<Reply<JsonNode>> stream();

    /** Every reply until the listeners finish, each waited for up to {@code timeout}. */
    Stream<Reply<JsonNode>> stream(Duration timeout);

    /** Every reply mapped to {@code type} until the listeners finish. */
    <T> Stream<Reply<T>> stream(Class<T> type);

    /** Every reply mapped to {@code type} until the listeners finish, each waited for up to {@code timeout}. */
    <T> Stream<Reply<T>> stream(Duration timeout, Class<T> type);

    /**
     * Every reply from application {@code fromGroup} (null: from any), mapped to {@code type},
     * until the listeners finish; lazily read, each waited for up to {@code timeout}. The stream
     * yields exactly what successive {@code read} calls would return, null replies included.
     */
    <T> Stream<Reply<T>> stream(String fromGroup, Duration timeout, Class<T> type);

    /** {@link #read()} without blocking the caller. */
    CompletableFuture<Optional<Reply<JsonNode>>> readAsync();

    /** {@link #read(Duration)} without blocking the caller. */
    CompletableFuture<Optional<Reply<JsonNode>>> readAsync(Duration timeout);

    /** {@link #read(Duration, Class)} without blocking the caller. */
    <T> CompletableFuture<Optional<Reply<T>>> readAsync(Duration timeout, Class<T> type);

    /** {@link #read(String, Duration, Class)} without blocking the caller. */
    <T> CompletableFuture<Optional<Reply<T>>> readAsync(String fromGroup, Duration timeout, Class<T> type);

    /** Whether the listeners' end marker has been read. */
    boolean isEnded();
}
