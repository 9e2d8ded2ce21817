package io.streamback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamback.Streamback;
import io.streamback.feedback.FeedbackTimeoutException;
import io.streamback.feedback.Reply;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** {@code streamback run} as a real child JVM: health, readiness, metrics, topics filter and SIGTERM. */
@StreambackTest
class WorkerProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Testkit testkit;
    private final HttpClient http = HttpClient.newHttpClient();
    private CliRunner cli;

    WorkerProcessTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp(@TempDir Path logs) {
        cli = CliRunner.fromClasspath(logs)
                .env("STREAMBACK_STREAMS", testkit.streamsUrl())
                .env("STREAMBACK_APP", RecordingApp.class.getName())
                .env("STREAMBACK_HTTP_PORT", "0")
                .env("TEST_REDIS_HOST", testkit.redis().host())
                .env("TEST_REDIS_PORT", Integer.toString(testkit.redis().port()));
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        cli.killAll();
    }

    private CliRunner.Command startWorker(String topic, Map<String, String> extraEnv) throws IOException {
        cli.env("STREAMBACK_NAME", topic + "-worker").env("TEST_TOPIC", topic);
        extraEnv.forEach(cli::env);
        return cli.start("run");
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        String topic = Testkit.uniqueName("topic");
        int port = CliRunner.freePort();
        startWorker(topic, Map.of("STREAMBACK_HTTP_PORT", Integer.toString(port)));

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get(port, "/readyz").statusCode()).isEqualTo(200));
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        try (Streamback client = Streamback.create("client", testkit.streamsUrl())) {
            assertThat(client.send(topic, Map.of("id", "m1")).read(WAIT, String.class).map(Reply::value)).contains("done");
        }

        // The reply leaves while the listener runs; its metrics are recorded as it returns.
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(port, "/metrics").body())
                .contains("streamback_records_consumed_total{listener=\"" + topic + "#1\",topic=\"" + topic + "\"} 1.0")
                .contains("streamback_handler_seconds_bucket{listener=\"" + topic + "#1\"")
                .contains("streamback_feedback_replies_total 1.0")
                .contains("kafka_consumer_fetch_manager_records_lag")
                .contains("jvm_memory_used_bytes"));
    }

    @Test
    void httpAddressKeepsTheEndpointsOnOneInterface() throws Exception {
        int port = CliRunner.freePort();
        CliRunner.Command worker = startWorker(Testkit.uniqueName("topic"),
                Map.of("STREAMBACK_HTTP_PORT", Integer.toString(port), "STREAMBACK_HTTP_ADDRESS", "127.0.0.1"));

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get(port, "/readyz").statusCode()).isEqualTo(200));
        // 127.0.0.2 is this host too (the loopback network), but not the address the worker listens on.
        Assertions.assertThatThrownBy(() -> get("127.0.0.2", port, "/readyz")).isInstanceOf(ConnectException.class);
        assertThat(worker.output()).contains("health and metrics on port " + port + " of 127.0.0.1");
    }

    @Test
    void topicsFilterRunsOnlyTheGivenTopicsListeners() throws Exception {
        String topic = Testkit.uniqueName("topic");
        startWorker(topic, Map.of("STREAMBACK_TOPICS", topic + "-other"));

        try (Streamback client = Streamback.create("client", testkit.streamsUrl())) {
            assertThat(client.send(topic + "-other", Map.of()).read(WAIT, String.class).map(Reply::value)).contains("other");
            Assertions.assertThatThrownBy(() -> client.send(topic, Map.of("id", "x")).read(Duration.ofSeconds(3)))
                    .isInstanceOf(FeedbackTimeoutException.class);
        }
    }

    @Test
    void badConfigurationExitsWithCode2AndSaysWhichVariable() throws Exception {
        CliRunner.Result result = startWorker(Testkit.uniqueName("topic"), Map.of("STREAMBACK_HTTP_PORT", "web")).awaitExit();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("STREAMBACK_HTTP_PORT='web' is not a whole number");
    }

    @Test
    void sigtermWithRecordsInFlightLosesNoneAndDuplicatesNone() throws Exception {
        String topic = Testkit.uniqueName("topic");
        int records = 200;
        CliRunner.Command first = startWorker(topic, Map.of("TEST_DELAY_MS", "20"));
        try (Streamback client = Streamback.create("client", testkit.streamsUrl());
             JedisPooled redis = new JedisPooled(testkit.redis().host(), testkit.redis().port())) {
            for (int i = 0; i < records; i++) {
                client.send(topic, Map.of("id", Integer.toString(i)));
            }
            await().atMost(WAIT).until(() -> redis.llen(topic + ":handled") >= 20);

            first.terminate();
            assertThat(first.awaitExit().exitCode()).as("stopped within the shutdown timeout").isZero();
            long handledByFirst = redis.llen(topic + ":handled");
            assertThat(handledByFirst).as("stopped before the end of the backlog").isLessThan(records);

            startWorker(topic, Map.of("TEST_DELAY_MS", "0"));
            await().atMost(WAIT).until(() -> redis.llen(topic + ":handled") >= records);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> redis.llen(topic + ":handled") == records);

            List<String> handled = redis.lrange(topic + ":handled", 0, -1);
            Set<String> distinct = new HashSet<>(handled);
            assertThat(distinct).as("lost none").hasSize(records);
            assertThat(handled).as("duplicated none").hasSize(records);
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return get("127.0.0.1", port, path);
    }

    private HttpResponse<String> get(String host, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
