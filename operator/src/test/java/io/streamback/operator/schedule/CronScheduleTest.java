package io.streamback.operator.schedule;

import static java.time.ZoneOffset.UTC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.schedule.CronExpression;
import io.streamback.schedule.InvalidCronException;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

    static final Instant NOON = Instant.parse("2030-01-01T12:00:00Z");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @ParameterizedTest(name = "{0} runs as a CronJob with schedule {1}")
    @CsvSource(delimiter = '|', value = {
        "0 3 * * *       | 0 3 * * *",
        "  */5  *  * * * | */5 * * * *",
        "0 9 * * MON-FRI | 0 9 * * MON-FRI",
        "0 0 */2 * * *   | 0 */2 * * *",
        "@daily          | @daily",
        "@hourly         | @hourly",
        "0 3 * * 7       | 0 3 * * 0",
        "0 3 * * 5-7     | 0 3 * * 0,5,6",
        "0 0 3 * * 1,7   | 0 3 * * 0,1",
        "0 3 * * */7     | 0 3 * * */7"})
    void minuteGranularityRunsAsACronJob(String when, String cronJobSchedule) {
        CronSchedule schedule = CronSchedule.parse(when);
        assertThat(schedule.runsAsCronJob()).isTrue();
        assertThat(schedule.cronJobSchedule()).isEqualTo(cronJobSchedule);
    }

    @ParameterizedTest(name = "{0} needs the scheduler")
    @CsvSource({"*/30 * * * * *", "15 * * * * *", "0/10 0 3 * * *", "30 0 12 * * MON"})
    void secondsNeedTheScheduler(String when) {
        CronSchedule schedule = CronSchedule.parse(when);
        assertThat(schedule.runsAsCronJob()).isFalse();
        assertThat(schedule.cronJobSchedule()).isNull();
    }

    @Test
    void nextOccurrences() {
        assertThat(CronSchedule.parse("0 3 * * *").nextAfter(NOON, UTC)).contains(Instant.parse("2030-01-02T03:00:00Z"));
        assertThat(CronSchedule.parse("*/30 * * * * *").nextAfter(NOON, UTC))
                .contains(Instant.parse("2030-01-01T12:00:30Z"));
        assertThat(CronSchedule.parse("@hourly").nextAfter(NOON, UTC)).contains(Instant.parse("2030-01-01T13:00:00Z"));
        assertThat(CronSchedule.parse("30 8 * * *").nextAfter(NOON, ZoneId.of("Europe/Paris")))
                .contains(Instant.parse("2030-01-02T07:30:00Z"));
    }

    @ParameterizedTest(name = "{0}: the scheduler pods' next run times")
    @ValueSource(strings = {"0 3 * * *", "0 9 * * MON-FRI", "0 0 13 * 5", "*/30 * * * * *", "0 0 3 * * 5-7",
        "30 8 1,15 * *", "0 0 0 29 2 *"})
    void nextRunTimesAreTheSchedulerPodsOnes(String when) {
        CronExpression pods = CronExpression.parse(when);
        CronSchedule operator = CronSchedule.parse(when);
        Instant time = NOON;
        for (int i = 0; i < 20; i++) {
            Instant next = pods.nextAfter(time, PARIS).orElseThrow();
            assertThat(operator.nextAfter(time, PARIS)).as("after %s", time).contains(next);
            time = next;
        }
    }

    @Test
    void expressionsAreCheckedWithTheSchedulerPodsParser() {
        // The scheduler pod's parser, not a looser dialect, decides: '?' is not part of it.
        assertThatThrownBy(() -> CronSchedule.parse("*/5 * * ? * *"))
                .isInstanceOf(InvalidCronException.class)
                .hasMessageContaining("day-of-month");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 ? * *"))
                .isInstanceOf(InvalidCronException.class)
                .hasMessageContaining("day-of-month");
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *"))
                .hasMessageStartingWith("Invalid cron expression '61 * * * *': the minute field '61' is invalid");
        assertThatThrownBy(() -> CronSchedule.parse("* * *")).hasMessageContaining("it has 3 fields");
        assertThatThrownBy(() -> CronSchedule.parse("@fortnightly")).hasMessageStartingWith("unknown macro");
        assertThatThrownBy(() -> CronSchedule.parse(" ")).hasMessageContaining("it is empty");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * * * * *")).hasMessageContaining("it has 7 fields");
    }
}
