package io.streamback.listener;

import java.time.Duration;
import java.util.List;

/**
 * How a failing listener is retried before its error goes to the producer: {@code times}
 * retries after the first attempt, waiting {@code interval} before the first and multiplying
 * the wait by {@code multiplier} (up to {@code maxInterval}) before each next one, for failures
 * of the {@code retryOn} types. {@link InvalidInputException} is never retried.
 *
 * <pre>{@code
 * RetryStrategy.times(3).interval(Duration.ofMillis(200));                            // fixed
 * RetryStrategy.times(5).backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)); // exponential
 * RetryStrategy.times(3).retryOn(IOException.class);
 * }</pre>
 */
public record RetryStrategy(int times, Duration interval, double multiplier, Duration maxInterval,
                            List<Class<? extends Throwable>> retryOn) {

    public RetryStrategy {
        if (times < 0) {
            throw new IllegalArgumentException("retry times must be 0 or more, got " + times);
        }
        if (interval.isNegative() || maxInterval.isNegative()) {
            throw new IllegalArgumentException("retry intervals must not be negative");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("retry multiplier must be at least 1, got " + multiplier);
        }
        retryOn = List.copyOf(retryOn);
    }

    /** No retries: the first failure is final. */
    public static RetryStrategy none() {
        return times(0);
    }

    /** Up to {@code times} retries at once, on any exception; refine with the methods below. */
    public static RetryStrategy times(int times) {
        return new RetryStrategy(times, Duration.ZERO, 1.0, Duration.ofMinutes(1), List.of(Exception.class));
    }

    /** A fixed wait before each retry. */
    public RetryStrategy interval(Duration interval) {
        return new RetryStrategy(times, interval, 1.0, interval, retryOn);
    }

    /** Exponential backoff: {@code initial}, then times {@code multiplier} each retry, at most {@code max}. */
    public RetryStrategy backoff(Duration initial, double multiplier, Duration max) {
        return new RetryStrategy(times, initial, multiplier, max, retryOn);
    }

    /** Retries only failures of these types (and their subtypes). */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final RetryStrategy retryOn(Class<? extends Throwable>... types) {
        return new RetryStrategy(times, interval, multiplier, maxInterval, List.of(types));
    }

    /** Whether a failure after {@code attempt} attempts (1 = the first) is retried. */
    public boolean shouldRetry(Throwable failure, int attempt) {
        return attempt <= times
                && !(failure instanceof InvalidInputException)
                && retryOn.stream().anyMatch(type -> type.isInstance(failure));
    }

    /** The wait before retry number {@code retry} (1 = the first retry). */
    public Duration delayBefore(int retry) {
        double millis = interval.toMillis() * Math.pow(multiplier, retry - 1);
        return Duration.ofMillis((long) Math.min(millis, maxInterval.toMillis()));
    }

    static RetryStrategy from(Retry retry) {
        return new RetryStrategy(retry.times(), Duration.ofMillis(retry.intervalMillis()), retry.multiplier(),
                Duration.ofMillis(Math.max(retry.maxIntervalMillis(), retry.intervalMillis())), List.of(retry.on()));
    }
}
