package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.schedule.Schedule;
import java.time.ZoneId;
import java.util.Map;

/** The snippets of the guide's section "Scheduling messages (cron-like)" (docs/guide.md). */
final class Scheduling {
    private Scheduling() {
    }

    static void schedule(Streamback streamback) {
        // tag::schedule[]
        streamback.listen("check_server_status", (context, message) ->
            System.out.println("received: " + message.value()));

        streamback.schedule(
            "check_the_server_status",
            "*/30 * * * * *", // every 30 seconds
            "check_server_status",
            Map.of("something1", "hello there"),
            "test the schedule blabla bla");

        streamback.start();
        // end::schedule[]
    }

    static void timeZone(Streamback streamback) {
        // tag::time-zone[]
        streamback.schedule(Schedule.named("nightly_report")
            .when("0 30 2 * * *")
            .then("build_report")
            .args(Map.of("kind", "daily"))
            .timeZone(ZoneId.of("Europe/Athens"))
            .build());
        // end::time-zone[]
    }
}
