package io.streamback.schedule;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.Streamback;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@code Streamback.schedule(...)} refuses, and how it says so. */
@StreambackTest
class ScheduleRegistrationTest {
    private final Testkit testkit;

    ScheduleRegistrationTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @Test
    void anInvalidCronExpressionIsRefusedNamingTheField() {
        try (Streamback app = Streamback.create("app", testkit.streamsUrl())) {
            assertThatThrownBy(() -> app.schedule("report", "0 0 9 * * MON-FRY", "reports", Map.of(), ""))
                    .isInstanceOf(InvalidCronException.class)
                    .hasMessageStartingWith("Schedule 'report': Invalid cron expression '0 0 9 * * MON-FRY': "
                            + "the day-of-week field 'MON-FRY' is invalid");
        }
    }

    @Test
    void twoSchedulesCannotShareAName() {
        try (Streamback app = Streamback.create("app", testkit.streamsUrl())) {
            app.schedule("report", "0 9 * * *", "reports", null, "");

            assertThatThrownBy(() -> app.schedule("report", "0 10 * * *", "reports", null, ""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Streamback 'app' already has a schedule named 'report'");
        }
    }

    @Test
    void schedulingNeedsTheFeedbackStream() {
        try (Streamback oneWay = Streamback.create("app", "main=kafka://" + testkit.bootstrapServers())) {
            assertThatThrownBy(() -> oneWay.schedule("report", "0 9 * * *", "reports", null, ""))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("fires exactly once across replicas")
                    .hasMessageContaining("add feedback=redis://HOST:PORT to the streams URL");
        }
    }

    @Test
    void schedulesAreAddedBeforeStart() throws Exception {
        try (Streamback app = Streamback.create(Testkit.uniqueName("app"), testkit.streamsUrl())) {
            app.startAsync().get(60, TimeUnit.SECONDS);

            assertThatThrownBy(() -> app.schedule("report", "0 9 * * *", "reports", null, ""))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("add schedules before start()");
        }
    }
}
