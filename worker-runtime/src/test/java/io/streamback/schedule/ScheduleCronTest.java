package io.streamback.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Firing times of cron expressions, and the errors for bad ones. */
class ScheduleCronTest {
    private static final Instant MONDAY_NOON = Instant.parse("2024-01-01T12:00:00Z");

    @Test
    void sixFieldsStartWithSeconds() {
        assertThat(occurrences("*/30 * * * * *", MONDAY_NOON, 3)).containsExactly(
                Instant.parse("2024-01-01T12:00:30Z"), Instant.parse("2024-01-01T12:01:00Z"), Instant.parse("2024-01-01T12:01:30Z"));
        assertThat(occurrences("* * * * * *", MONDAY_NOON, 2)).containsExactly(
                Instant.parse("2024-01-01T12:00:01Z"), Instant.parse("2024-01-01T12:00:02Z"));
    }

    @Test
    void fiveFieldsFireAtSecondZero() {
        assertThat(occurrences("*/15 * * * *", MONDAY_NOON, 2)).containsExactly(
                Instant.parse("2024-01-01T12:15:00Z"), Instant.parse("2024-01-01T12:30:00Z"));
    }

    @Test
    void occurrencesAreStrictlyAfterAndBeforeAndWholeSeconds() {
        CronExpression everySecond = CronExpression.parse("* * * * * *");
        Instant noonAndABit = MONDAY_NOON.plusMillis(300);

        assertThat(everySecond.nextAfter(MONDAY_NOON, ZoneOffset.UTC)).contains(MONDAY_NOON.plusSeconds(1));
        assertThat(everySecond.nextAfter(noonAndABit, ZoneOffset.UTC)).contains(MONDAY_NOON.plusSeconds(1));
        assertThat(everySecond.lastBefore(MONDAY_NOON, ZoneOffset.UTC)).contains(MONDAY_NOON.minusSeconds(1));
        assertThat(everySecond.lastBefore(noonAndABit, ZoneOffset.UTC)).contains(MONDAY_NOON);
    }

    @Test
    void sundayIsZeroOrSeven() {
        Instant sunday = Instant.parse("2024-01-07T00:00:00Z");
        assertThat(occurrences("0 0 * * 0", MONDAY_NOON, 1)).containsExactly(sunday);
        assertThat(occurrences("0 0 * * 7", MONDAY_NOON, 1)).containsExactly(sunday);
        assertThat(occurrences("0 0 0 * * SUN", MONDAY_NOON, 1)).containsExactly(sunday);
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
        // As in cron: midnight on every 13th and on every Friday.
        assertThat(occurrences("0 0 13 * 5", MONDAY_NOON, 4)).containsExactly(
                Instant.parse("2024-01-05T00:00:00Z"), Instant.parse("2024-01-12T00:00:00Z"),
                Instant.parse("2024-01-13T00:00:00Z"), Instant.parse("2024-01-19T00:00:00Z"));
    }

    @Test
    void namesListsRangesAndSteps() {
        assertThat(occurrences("0 0 9 * * MON-FRI", Instant.parse("2024-01-05T10:00:00Z"), 2)).containsExactly(
                Instant.parse("2024-01-08T09:00:00Z"), Instant.parse("2024-01-09T09:00:00Z"));
        assertThat(occurrences("0 0,30 8-9 1 JAN *", MONDAY_NOON, 4)).containsExactly(
                Instant.parse("2025-01-01T08:00:00Z"), Instant.parse("2025-01-01T08:30:00Z"),
                Instant.parse("2025-01-01T09:00:00Z"), Instant.parse("2025-01-01T09:30:00Z"));
    }

    @Test
    void theTimeZoneSetsTheWallClock() {
        ZoneId athens = ZoneId.of("Europe/Athens");
        Schedule nine = Schedule.named("nine").when("0 0 9 * * *").then("t").timeZone(athens).build();

        // UTC+2 in winter, UTC+3 once summer time starts on 31 March 2024.
        assertThat(nine.nextAfter(MONDAY_NOON)).contains(Instant.parse("2024-01-02T07:00:00Z"));
        assertThat(nine.nextAfter(Instant.parse("2024-03-31T12:00:00Z"))).contains(Instant.parse("2024-04-01T06:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "61 * * * * *  | second       | 61",
            "* 60 * * * *  | minute       | 60",
            "* * 24 * * *  | hour         | 24",
            "* * * 0 * *   | day-of-month | 0",
            "* * * * 13 *  | month        | 13",
            "* * * * * 8   | day-of-week  | 8",
            "*/0 * * * * * | second       | */0",
            "x * * * *     | minute       | x",
            "0 25 * * *    | hour         | 25"})
    void anInvalidFieldIsNamed(String expression, String field, String value) {
        assertThatThrownBy(() -> CronExpression.parse(expression))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> {
                    assertThat(e.field()).contains(field);
                    assertThat(e.expression()).isEqualTo(expression);
                })
                .hasMessageStartingWith("Invalid cron expression '" + expression + "': the " + field + " field '" + value + "' is invalid: ");
    }

    @Test
    void theWrongNumberOfFieldsIsSaid() {
        assertThatThrownBy(() -> CronExpression.parse("* * * *"))
                .isInstanceOf(InvalidCronException.class)
                .hasMessage("Invalid cron expression '* * * *': it has 4 fields; expected 6 (second minute hour "
                        + "day-of-month month day-of-week) or 5 (no seconds: minute hour day-of-month month day-of-week)");
        assertThatThrownBy(() -> CronExpression.parse(" ")).hasMessageContaining("it is empty");
    }

    @Test
    void anExpressionThatNeverMatchesIsRejected() {
        assertThatThrownBy(() -> CronExpression.parse("0 0 0 31 2 *"))
                .isInstanceOf(InvalidCronException.class)
                .hasMessage("Invalid cron expression '0 0 0 31 2 *': it never matches a date");
    }

    @Test
    void theScheduleBuilderNamesTheSchedule() {
        assertThatThrownBy(() -> Schedule.named("nightly").when("0 0 25 * * *").then("t").build())
                .isInstanceOf(InvalidCronException.class)
                .hasMessageStartingWith("Schedule 'nightly': Invalid cron expression '0 0 25 * * *': the hour field '25' is invalid");
        assertThatThrownBy(() -> Schedule.named("nightly").when("0 0 * * *").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a then");
    }

    @Test
    void argsBecomeJsonWhenTheScheduleIsMade() {
        Schedule schedule = Schedule.named("s").when("0 0 * * *").then("t").args(Map.of("a", 1)).build();
        assertThat(schedule.args().get("a").asInt()).isEqualTo(1);
        assertThat(Schedule.named("s").when("0 0 * * *").then("t").build().args().isNull()).isTrue();
    }

    private static List<Instant> occurrences(String expression, Instant from, int count) {
        CronExpression cron = CronExpression.parse(expression);
        List<Instant> found = new ArrayList<>();
        Instant at = from;
        for (int i = 0; i < count; i++) {
            at = cron.nextAfter(at, ZoneOffset.UTC).orElseThrow();
            found.add(at);
        }
        return found;
    }
}
