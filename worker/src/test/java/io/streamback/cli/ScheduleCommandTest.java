package io.streamback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.cli.CliRunner.Command;
import io.streamback.cli.CliRunner.Result;
import io.streamback.internal.schedule.ScheduleLedger;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** {@code streamback schedule} as child processes on the real broker and Redis: firing, replicas, health, SIGTERM, exit codes. */
@StreambackTest
class ScheduleCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Testkit testkit;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Streamback listener;
    private JedisPooled redis;
    private CliRunner cli;
    private String topic;
    private String group;

    @TempDir
    Path logs;

    ScheduleCommandTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        topic = Testkit.uniqueName("ticks");
        group = Testkit.uniqueName("scheduler");
        redis = new JedisPooled(testkit.redis().host(), testkit.redis().port());
        cli = CliRunner.fromClasspath(logs).env("STREAMBACK_STREAMS", testkit.streamsUrl()).env("STREAMBACK_NAME", group);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        cli.killAll();
        if (listener != null) {
            listener.close();
        }
        redis.close();
    }

    @Test
    void firesEverySecondServesHealthAndMetricsAndStopsGracefullyOnSigterm() throws Exception {
        startListener();
        int port = CliRunner.freePort();
        Command scheduler = cli.env("STREAMBACK_HTTP_PORT", Integer.toString(port))
                .start("schedule", "--name", "tick", "--when", "* * * * * *", "--then", topic, "--args", "{\"n\": 1}");

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get(port, "/readyz").statusCode()).isEqualTo(200));
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> received.size() >= 3);
        assertThat(received).allSatisfy(value -> assertThat(value.get("n").asInt()).isEqualTo(1));
        assertThat(get(port, "/metrics").body())
                .contains("streamback_schedule_fired_total{schedule=\"tick\"}")
                .contains("streamback_schedule_delay_seconds_max{schedule=\"tick\"}")
                .contains("jvm_memory_used_bytes");

        scheduler.terminate();
        Result result = scheduler.awaitExit();

        assertThat(result.exitCode()).as(scheduler.output()).isZero();
        assertThat(scheduler.output()).contains("SIGTERM received");
        List<Instant> occurrences = claimedOccurrences();
        await().atMost(WAIT).until(() -> received.size() == occurrences.size());
        assertOneASecond(occurrences);
    }

    @Test
    void twoReplicasOneConfiguredByOptionsOneByFileSendEachOccurrenceOnce() throws Exception {
        startListener();
        Path file = logs.resolve("schedules.json");
        Files.writeString(file, """
                [{"name": "tick", "when": "* * * * * *", "then": "%s", "args": {"from": "file"},
                  "timeZone": "Europe/Athens", "description": "the same schedule, from a file"}]
                """.formatted(topic));
        int portA = CliRunner.freePort();
        int portB = CliRunner.freePort();
        Command a = cli.start("schedule", "--name", "tick", "--when", "* * * * * *", "--then", topic,
                "--args", "{\"from\": \"options\"}", "--http-port", Integer.toString(portA));
        Command b = cli.start("schedule", "--file", file.toString(), "--http-port", Integer.toString(portB));
        for (int port : List.of(portA, portB)) {
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get(port, "/readyz").statusCode()).isEqualTo(200));
        }
        int claimedWhenBothRan = claimedOccurrences().size();

        await().atMost(WAIT).until(() -> claimedOccurrences().size() >= claimedWhenBothRan + 4);
        a.terminate();
        b.terminate();
        assertThat(a.awaitExit().exitCode()).as(a.output()).isZero();
        assertThat(b.awaitExit().exitCode()).as(b.output()).isZero();

        List<Instant> occurrences = claimedOccurrences();
        await().atMost(WAIT).until(() -> received.size() >= occurrences.size());
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> received.size() == occurrences.size());
        assertOneASecond(occurrences);
    }

    @Test
    void anInvalidCronExpressionExits2NamingTheField() throws Exception {
        Result result = cli.run("schedule", "--name", "nightly", "--when", "0 0 25 * * *", "--then", topic);

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains("streamback schedule: Schedule 'nightly': Invalid cron expression "
                + "'0 0 25 * * *': the hour field '25' is invalid: Value 25 not in range [0, 23]");
    }

    @Test
    void otherUsageErrorsExit2SayingWhatAndWhere() throws Exception {
        Path file = logs.resolve("typo.json");
        Files.writeString(file, "[{\"name\": \"a\", \"when\": \"* * * * *\", \"then\": \"t\", \"time_zone\": \"UTC\"}]");

        assertUsageError(cli.run("schedule", "--http-port", "0"),
                "No schedule: give --name, --when and --then, or --file");
        assertUsageError(cli.run("schedule", "--name", "a", "--when", "* * * * *", "--then", "t", "--args", "{oops}"),
                "Invalid value for option '--args': '{oops}' is not JSON: at line 1, column 2");
        assertUsageError(cli.run("schedule", "--file", file.toString()),
                "--file " + file + ": at line 1, column 69: unknown field 'time_zone'; "
                        + "a schedule has name, when, then, args, timeZone, description");
        assertUsageError(cli.run("schedule", "--name", "a", "--when", "* * * * *", "--then", "t", "--time-zone", "Mars/Olympus"),
                "Schedule 'a': unknown time zone 'Mars/Olympus'");
        assertUsageError(cli.run("schedule", "--name", "a", "--when", "* * * * *", "--then", "t",
                        "--name", "a", "--when", "0 * * * *", "--then", "u", "--http-port", "0"),
                "already has a schedule named 'a'");
        assertUsageError(cli.run("schedule", "--name", "a", "--when", "* * * * *", "--then", "t", "--http-port", "0",
                        "--streams", "main=kafka://" + testkit.bootstrapServers()),
                "Schedule 'a' needs the feedback stream");
        // 192.0.2.0/24 is reserved for documentation: no host has it.
        assertUsageError(cli.run("schedule", "--name", "a", "--when", "* * * * *", "--then", "t", "--http-address", "192.0.2.7"),
                "streamback schedule: --http-address='192.0.2.7' (192.0.2.7) is no address of this host");
    }

    @Test
    void httpAddressKeepsTheEndpointsOnOneInterface() throws Exception {
        int port = CliRunner.freePort();
        Command scheduler = cli.env("STREAMBACK_HTTP_PORT", Integer.toString(port)).env("STREAMBACK_HTTP_ADDRESS", "127.0.0.1")
                .start("schedule", "--name", "tick", "--when", "0 0 0 1 1 *", "--then", topic);

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get(port, "/readyz").statusCode()).isEqualTo(200));
        // 127.0.0.2 is this host too (the loopback network), but not the address the scheduler listens on.
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
        assertThat(scheduler.output()).contains("health and metrics on port " + port + " of 127.0.0.1");
    }

    @Test
    void redisOutOfReachAtStartExits1() throws Exception {
        Result result = cli.run("schedule", "--name", "tick", "--when", "* * * * * *", "--then", topic, "--http-port", "0",
                "--streams", "main=kafka://" + testkit.bootstrapServers() + "&feedback=redis://127.0.0.1:" + CliRunner.freePort());

        assertThat(result.exitCode()).isEqualTo(RunCommand.FAILED);
        assertThat(result.stdout() + result.stderr()).contains("Cannot start: Feedback stream redis://127.0.0.1:");
    }

    private void startListener() throws Exception {
        listener = Streamback.create(Testkit.uniqueName("listener"), testkit.streamsUrl())
                .listen(topic, (context, message) -> received.add(message.value()));
        listener.startAsync().get(60, TimeUnit.SECONDS);
    }

    /** The occurrences some replica claimed, from the claim keys in Redis. */
    private List<Instant> claimedOccurrences() {
        String last = ScheduleLedger.lastHandledKey(group, "tick");
        String prefix = last.substring(0, last.length() - "last".length());
        return redis.keys(prefix + "*").stream()
                .filter(key -> !key.equals(last))
                .map(key -> Instant.ofEpochSecond(Long.parseLong(key.substring(prefix.length()))))
                .sorted()
                .toList();
    }

    private static void assertOneASecond(List<Instant> occurrences) {
        assertThat(occurrences).as("one occurrence a second").containsExactlyElementsOf(
                IntStream.range(0, occurrences.size()).mapToObj(i -> occurrences.get(0).plusSeconds(i)).toList());
    }

    private static void assertUsageError(Result result, String message) {
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains(message);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
