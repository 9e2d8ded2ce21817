package io.streamback.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamback.config.StreamsUrl;
import io.streamback.internal.redis.FeedbackStore;
import io.streamback.schedule.Schedule;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Missed occurrences and restarts, on the real Redis with a fixed clock: each scheduler below
 * sees time stand still at one instant, as a process restarted at that instant would.
 */
@StreambackTest
class ScheduleGraceTest {
    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(3);

    private final Testkit testkit;
    private final List<Instant> sent = new CopyOnWriteArrayList<>();
    private FeedbackStore redis;
    private String group;
    private Schedule everySecond;

    ScheduleGraceTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        redis = new FeedbackStore(StreamsUrl.parse(testkit.streamsUrl()).feedback().orElseThrow(), Duration.ofSeconds(10), 4);
        group = Testkit.uniqueName("app");
        everySecond = Schedule.named("every-second").when("* * * * * *").then("ticks").build();
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void afterARestartMissedOccurrencesWithinTheGraceWindowFireOnceAndOlderOnesAreSkipped() {
        // The application last handled T-10, then stopped; another replica already sent T-1.
        redis.set(ScheduleLedger.lastHandledKey(group, "every-second"), Long.toString(T.minusSeconds(10).getEpochSecond()));
        redis.setIfAbsent(ScheduleLedger.claimKey(group, "every-second", T.minusSeconds(1)), "other replica", Duration.ofMinutes(5));

        runUntilHandled(T);

        // T-3 is exactly the grace window late: still sent. T-9 to T-4 are skipped.
        assertThat(sent).containsExactly(T.minusSeconds(3), T.minusSeconds(2), T);
        assertThat(claimedSeconds(T.minusSeconds(10), T)).as("claims: none for the skipped occurrences")
                .containsExactlyElementsOf(seconds(T.minusSeconds(3), T));

        // Restarted two seconds later: only what came since, nothing again.
        runUntilHandled(T.plusSeconds(2));

        assertThat(sent).containsExactly(T.minusSeconds(3), T.minusSeconds(2), T, T.plusSeconds(1), T.plusSeconds(2));
    }

    @Test
    void aScheduleThatNeverRanStartsFromNow() {
        runUntilHandled(T.plusMillis(500), T.plusSeconds(2));

        assertThat(sent).as("nothing at or before the start").containsExactly(T.plusSeconds(1), T.plusSeconds(2));
    }

    /** Runs a scheduler whose clock stands at {@code now} until it has handled the occurrence at {@code now}. */
    private void runUntilHandled(Instant now) {
        runUntilHandled(now, now);
    }

    /**
     * Runs a scheduler whose clock starts at {@code start} and then stands at {@code end}, until it
     * has handled the occurrence at {@code end}.
     */
    private void runUntilHandled(Instant start, Instant end) {
        Clock clock = new Clock() {
            private boolean started;

            @Override
            public synchronized Instant instant() {
                Instant now = started ? end : start;
                started = true;
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        Scheduler.Sender recording = (schedule, occurrence) -> {
            sent.add(occurrence);
            return CompletableFuture.completedFuture(null);
        };
        try (Scheduler scheduler = new Scheduler(List.of(everySecond), GRACE, new ScheduleLedger(redis, group), recording,
                clock, new SimpleMeterRegistry())) {
            scheduler.start();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    redis.get(ScheduleLedger.lastHandledKey(group, "every-second")).equals(Optional.of(Long.toString(end.getEpochSecond()))));
        }
    }

    private List<Instant> claimedSeconds(Instant from, Instant to) {
        return seconds(from, to).stream()
                .filter(second -> redis.get(ScheduleLedger.claimKey(group, "every-second", second)).isPresent())
                .toList();
    }

    private static List<Instant> seconds(Instant from, Instant to) {
        return LongStream.rangeClosed(from.getEpochSecond(), to.getEpochSecond()).mapToObj(Instant::ofEpochSecond).toList();
    }
}
