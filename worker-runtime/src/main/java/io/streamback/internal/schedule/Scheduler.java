package io.streamback.internal.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamback.schedule.Schedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends scheduled messages while its Streamback runs, each occurrence once across every replica
 * and restart of the application.
 *
 * <p>One timer thread sleeps until a schedule's next occurrence. Then it claims the occurrence in
 * Redis ({@link ScheduleLedger}: SET NX, atomic) and sends only if its claim won, so of several
 * replicas exactly one sends. A claim outlives the grace window, and no replica tries an
 * occurrence later than that, so no occurrence can be claimed twice.
 *
 * <p>Missed occurrences: where each schedule got to is kept in Redis too. When the scheduler
 * starts (or its thread wakes late), the occurrences since then that are at most the grace window
 * late fire at once, each once; older ones are skipped and logged. A schedule that never ran
 * before starts from now.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    /** Claims outlive the grace window by this much, so replicas whose clocks differ by up to half of it still see them. */
    private static final Duration CLAIM_MARGIN = Duration.ofMinutes(10);
    /** The thread wakes at least this often to notice changes of the wall clock (NTP steps, a resumed VM). */
    private static final Duration LONGEST_SLEEP = Duration.ofSeconds(10);
    /** After a failure (Redis unreachable): try the same occurrence again this soon, while it is within the grace window. */
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** Close waits this long at most for an occurrence being sent; that takes one Redis round trip and a Kafka hand-over. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** How an occurrence is sent; Streamback's sends {@code schedule.args()} to {@code schedule.then()}. */
    @FunctionalInterface
    public interface Sender {
        /** @return completes when the broker has the message */
        CompletableFuture<Void> send(Schedule schedule, Instant occurrence);
    }

    private final List<ScheduleRun> runs;
    private final Duration grace;
    private final ScheduleLedger ledger;
    private final Sender sender;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean closing;

    /**
     * @param grace  how late an occurrence may still be sent; older missed ones are skipped
     * @param clock  the wall clock occurrences are read on
     * @param meters where {@code streamback.schedule.fired} and {@code streamback.schedule.delay} go, per schedule
     */
    public Scheduler(List<Schedule> schedules, Duration grace, ScheduleLedger ledger, Sender sender, Clock clock,
                     MeterRegistry meters) {
        this.runs = schedules.stream().map(schedule -> new ScheduleRun(schedule, meters)).toList();
        this.grace = grace;
        this.ledger = ledger;
        this.sender = sender;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> new Thread(runnable, "streamback-" + ledger.group() + "-scheduler"));
        // Closing drops the sleeping ticks instead of running them.
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts firing: each schedule first takes up where it got to (see the class comment). */
    public void start() {
        for (ScheduleRun run : runs) {
            log.info("Schedule {} of '{}' starting{}", run.schedule, ledger.group(),
                    run.schedule.description().isEmpty() ? "" : ": " + run.schedule.description());
            timer.execute(() -> tick(run));
        }
    }

    /** Stops firing; an occurrence being sent is sent first. */
    @Override
    public void close() {
        closing = true;
        timer.shutdown();
        try {
            if (!timer.awaitTermination(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("The scheduler of '{}' did not stop within {} s", ledger.group(), CLOSE_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick(ScheduleRun run) {
        Optional<Duration> sleep;
        try {
            sleep = run.fireDueOccurrences();
        } catch (RuntimeException e) {
            // Mostly Redis out of reach. Whatever it is, it must not end the schedule.
            log.warn("Schedule {}: {}; trying again in {} s", run.schedule, e.toString(), RETRY_DELAY.toSeconds());
            sleep = Optional.of(RETRY_DELAY);
        }
        sleep.ifPresentOrElse(delay -> nextTick(run, delay),
                () -> log.info("Schedule {} has no occurrence left", run.schedule));
    }

    private void nextTick(ScheduleRun run, Duration delay) {
        if (closing) {
            return;
        }
        try {
            timer.schedule(() -> tick(run), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // close() came in meanwhile: nothing more to fire.
        }
    }

    /** One schedule's progress; touched only by the timer thread. */
    private final class ScheduleRun {
        private final Schedule schedule;
        private final Counter fired;
        private final Timer delay;
        /** The last occurrence handled, or the time of the first start; null until read from Redis. */
        private Instant position;
        /** The position as Redis has it. */
        private Instant savedPosition;

        private ScheduleRun(Schedule schedule, MeterRegistry meters) {
            this.schedule = schedule;
            this.fired = Counter.builder("streamback.schedule.fired")
                    .description("Scheduled messages this process sent (each occurrence is sent by one replica only)")
                    .tag("schedule", schedule.name())
                    .register(meters);
            this.delay = Timer.builder("streamback.schedule.delay")
                    .description("Time from a scheduled occurrence to its sending")
                    .tag("schedule", schedule.name())
                    .register(meters);
        }

        /** Sends what is due, and says how long to sleep until the next occurrence (empty: there is none). */
        private Optional<Duration> fireDueOccurrences() {
            Instant now = clock.instant();
            if (position == null) {
                position = ledger.lastHandled(schedule.name()).orElse(now);
                savedPosition = position;
            }
            skipOccurrencesBeyondGrace(now);
            Optional<Instant> due = schedule.nextAfter(position);
            while (due.isPresent() && !due.get().isAfter(now) && !closing) {
                fire(due.get());
                position = due.get();
                due = schedule.nextAfter(position);
            }
            if (!position.equals(savedPosition)) {
                ledger.handledUpTo(schedule.name(), position);
                savedPosition = position;
            }
            return due.map(next -> {
                Duration untilNext = Duration.between(clock.instant(), next);
                return untilNext.isNegative() ? Duration.ZERO : min(untilNext, LONGEST_SLEEP);
            });
        }

        private void skipOccurrencesBeyondGrace(Instant now) {
            Instant oldestAllowed = now.minus(grace);
            Optional<Instant> firstMissed = schedule.nextAfter(position).filter(next -> next.isBefore(oldestAllowed));
            if (firstMissed.isPresent()) {
                Instant lastMissed = schedule.lastBefore(oldestAllowed).orElseThrow();
                log.warn("Schedule {} skipped its occurrences from {} to {}: more than the grace window of {} s late",
                        schedule, firstMissed.get(), lastMissed, grace.toSeconds());
                position = lastMissed;
            }
        }

        private void fire(Instant occurrence) {
            if (!ledger.claim(schedule.name(), occurrence, grace.plus(CLAIM_MARGIN))) {
                log.debug("Schedule {}: the occurrence at {} was claimed by another replica", schedule, occurrence);
                return;
            }
            Duration late = Duration.between(occurrence, clock.instant());
            try {
                sender.send(schedule, occurrence).whenComplete((sent, error) -> {
                    if (error != null) {
                        log.error("Schedule {}: the occurrence at {} was not sent: {}", schedule, occurrence, error.toString());
                    }
                });
            } catch (RuntimeException e) {
                // The claim stays, so no replica sends it either: this occurrence is lost, and said so.
                log.error("Schedule {}: the occurrence at {} was not sent: {}", schedule, occurrence, e.getMessage());
                return;
            }
            fired.increment();
            delay.record(late);
            log.debug("Schedule {}: sent the occurrence at {}, {} ms after it", schedule, occurrence, late.toMillis());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
