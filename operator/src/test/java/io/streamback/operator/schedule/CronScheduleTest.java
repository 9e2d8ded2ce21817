package io.streamback.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

    static final ZonedDateTime NOON = ZonedDateTime.parse("2030-01-01T12:00:00Z");

    @ParameterizedTest(name = "{0} runs as a CronJob with schedule {1}")
    @CsvSource(delimiter = '|', value = {
        "0 3 * * *       | 0 3 * * *",
        "  */5  *  * * * | */5 * * * *",
        "0 9 * * MON-FRI | 0 9 * * MON-FRI",
        "0 0 */2 * * *   | 0 */2 * * *",
        "@daily          | @daily",
        "@hourly         | @hourly"})
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
        assertThat(CronSchedule.parse("0 3 * * *").nextAfter(NOON)).contains(ZonedDateTime.parse("2030-01-02T03:00:00Z"));
        assertThat(CronSchedule.parse("*/30 * * * * *").nextAfter(NOON))
                .contains(ZonedDateTime.parse("2030-01-01T12:00:30Z"));
        assertThat(CronSchedule.parse("@hourly").nextAfter(NOON)).contains(ZonedDateTime.parse("2030-01-01T13:00:00Z"));
        ZonedDateTime noonInParis = NOON.withZoneSameInstant(ZoneId.of("Europe/Paris"));
        assertThat(CronSchedule.parse("30 8 * * *").nextAfter(noonInParis).orElseThrow().toInstant())
                .isEqualTo(ZonedDateTime.parse("2030-01-02T07:30:00Z").toInstant());
    }

    @Test
    void sixFieldExpressionsAreCheckedWithTheSchedulerPodsParser() {
        // The scheduler pod's parser, not a looser dialect, decides: '?' is not part of it.
        assertThatThrownBy(() -> CronSchedule.parse("*/5 * * ? * *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("\"*/5 * * ? * *\" is not a valid cron expression: ")
                .hasMessageContaining("day-of-month");
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *"))
                .hasMessageStartingWith("\"61 * * * *\" is not a valid cron expression: ")
                .hasMessageContaining("61");
        assertThatThrownBy(() -> CronSchedule.parse("* * *"))
                .hasMessage("\"* * *\" has 3 fields; expected 5 (minute hour day-of-month month day-of-week) "
                        + "or 6 (seconds first)");
        assertThatThrownBy(() -> CronSchedule.parse("@fortnightly")).hasMessageStartingWith("unknown macro");
        assertThatThrownBy(() -> CronSchedule.parse(" ")).hasMessageStartingWith("a cron expression is required");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * * * * *")).hasMessageContaining("has 7 fields");
    }
}
