package io.streamback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamback.Streamback;
import io.streamback.cli.CliRunner;
import io.streamback.config.StreamsUrl;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import io.streamback.testkit.RedisServer;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Credentials in the streams URL never show: not in what the worker prints (at DEBUG, stack traces
 * included), not on its /healthz, /readyz and /metrics, not in exception messages, stack traces or
 * toString; whether it runs well, meets a wrong password or a broken URL.
 *
 * <p>Each {@link Setup} is servers that demand credentials and the URLs that carry them: one per
 * way of authenticating. Add a setup to {@link #setups()} and every check runs against it.
 */
class CredentialLeakTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** What someone chasing a problem would turn on: every logger at DEBUG (slf4j-simple, as the tests log). */
    private static final String DEBUG_LOGGING = "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug";

    /**
     * Servers that demand credentials, and the streams URLs to reach them.
     *
     * @param name     what the setup is, for the test's name
     * @param url      the streams URL, with the right credentials
     * @param wrongUrl the same URL with wrong credentials
     * @param secrets  what must never show: every password in the two URLs
     * @param servers  what to close after the test
     */
    record Setup(String name, String url, String wrongUrl, List<String> secrets, List<AutoCloseable> servers)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            for (AutoCloseable server : servers) {
                server.close();
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Setup> setups() {
        return Stream.of(redisWithPasswordAndPlaintextKafka());
    }

    /** Redis with requirepass, reached as redis://:PASSWORD@HOST:PORT; Kafka without authentication. */
    static Setup redisWithPasswordAndPlaintextKafka() {
        String password = canary();
        String wrong = canary();
        RedisServer redis = RedisServer.builder().argument("--requirepass", password).start();
        String kafka = "main=kafka://" + Testkit.shared().bootstrapServers();
        return new Setup("Redis requirepass, plaintext Kafka",
                kafka + "&feedback=redis://:" + password + "@" + redis.host() + ":" + redis.port(),
                kafka + "&feedback=redis://:" + wrong + "@" + redis.host() + ":" + redis.port(),
                List.of(password, wrong), List.of(redis));
    }

    /** A recognisable password: letters, digits and dashes, the same raw and URL-encoded. */
    static String canary() {
        return "canary-" + UUID.randomUUID();
    }

    @TempDir
    Path logs;
    private CliRunner cli;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Everything looked at, by where it came from. */
    private final Map<String, String> seen = new LinkedHashMap<>();

    @AfterEach
    void stopWorkers() throws InterruptedException {
        if (cli != null) {
            cli.killAll();
        }
    }

    private CliRunner cli(String url) {
        cli = CliRunner.fromClasspath(logs)
                .env("JAVA_TOOL_OPTIONS", DEBUG_LOGGING)
                .env("STREAMBACK_STREAMS", url);
        return cli;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void aWorkingWorkerShowsNoCredentials(Setup setup) throws Exception {
        String topic = Testkit.uniqueName("credentials");
        int port = CliRunner.freePort();
        CliRunner.Command worker = cli(setup.url())
                .env("STREAMBACK_APP", FaultApp.class.getName())
                .env("STREAMBACK_NAME", topic + "-worker")
                .env("STREAMBACK_HTTP_PORT", Integer.toString(port))
                .env("TEST_TOPIC", topic)
                .env("TEST_SINK", "file")
                .env("TEST_FILE", logs.resolve("handled.txt").toString())
                .start("run");
        await().atMost(WAIT).ignoreExceptions().until(() -> get(port, "/readyz").statusCode() == 200);

        // A round trip through Kafka and the password-protected Redis, by the worker and by the CLI.
        try (Streamback client = Streamback.create("client", setup.url())) {
            assertThat(client.send(topic, Map.of("id", "1", "reply", true)).read(WAIT, String.class).map(Reply::value)).contains("done");
            seen.put("client toString", client + " " + client.streams());
        }
        CliRunner.Result send = cli.run("send", topic, "{\"id\":\"2\",\"reply\":true}", "--wait", "30s");
        assertThat(send.exitCode()).as(send.stderr()).isZero();
        assertThat(send.stdout()).contains("done");
        seen.put("send stdout", send.stdout());
        seen.put("send stderr", send.stderr());

        for (String path : List.of("/healthz", "/readyz", "/metrics")) {
            seen.put("worker " + path, get(port, path).body());
        }
        assertThat(seen.get("worker /metrics")).contains("streamback_records_consumed_total");
        worker.terminate();
        CliRunner.Result stopped = worker.awaitExit();
        assertThat(stopped.exitCode()).isZero();
        seen.put("worker stdout", stopped.stdout());
        seen.put("worker stderr", stopped.stderr());
        assertThat(stopped.stderr() + stopped.stdout()).as("the worker logged at DEBUG")
                .contains("DEBUG").contains("Worker '" + topic + "-worker' stopped");

        assertShowsNoCredentials(setup);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void failuresShowNoCredentials(Setup setup) throws Exception {
        String topic = Testkit.uniqueName("credentials");

        // A worker with the wrong password does not start, and says why.
        CliRunner.Result wrong = cli(setup.wrongUrl())
                .env("STREAMBACK_APP", FaultApp.class.getName())
                .env("STREAMBACK_HTTP_PORT", "0")
                .env("TEST_TOPIC", topic)
                .env("TEST_SINK", "file")
                .env("TEST_FILE", logs.resolve("handled.txt").toString())
                .run("run");
        assertThat(wrong.exitCode()).as(wrong.stderr() + wrong.stdout()).isEqualTo(1);
        seen.put("run, wrong password: stdout", wrong.stdout());
        seen.put("run, wrong password: stderr", wrong.stderr());

        CliRunner.Result wrongSend = cli.run("send", topic, "{}", "--wait", "5s");
        assertThat(wrongSend.exitCode()).as(wrongSend.stderr()).isNotZero();
        seen.put("send, wrong password: stdout", wrongSend.stdout());
        seen.put("send, wrong password: stderr", wrongSend.stderr());

        // A URL that does not parse is refused, masked.
        CliRunner.Result broken = cli(setup.url() + "&bogus=1").run("run");
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.stderr()).contains("unknown setting 'bogus'");
        seen.put("run, broken URL: stdout", broken.stdout());
        seen.put("run, broken URL: stderr", broken.stderr());

        // In the library: the exceptions, their causes and stack traces, and every toString.
        try (Streamback streamback = Streamback.builder("leak-check").streams(setup.wrongUrl())
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            seen.put("toString", streamback + " " + streamback.streams() + " " + StreamsUrl.parse(setup.url()));
            FeedbackLane lane = streamback.send(topic, Map.of());
            Throwable error = catchThrowable(() -> lane.read(Duration.ofSeconds(5)).map(Reply::value));
            seen.put("read, wrong password: exception", describe(error));
            streamback.listen(topic, (context, message) -> { });
            Throwable startError = catchThrowable(() -> streamback.startAsync().get());
            seen.put("start, wrong password: exception", describe(startError));
        }
        Throwable parseError = catchThrowable(() -> StreamsUrl.parse(setup.url() + "&bogus=1"));
        seen.put("parse, broken URL: exception", describe(parseError));

        assertShowsNoCredentials(setup);
    }

    private void assertShowsNoCredentials(Setup setup) {
        assertThat(seen).isNotEmpty();
        seen.forEach((where, text) -> {
            for (String secret : setup.secrets()) {
                assertThat(text.lines().filter(line -> line.contains(secret))).as(where).isEmpty();
            }
        });
    }

    private static Throwable catchThrowable(ThrowingRunnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The exception as a log would show it: toString, messages and the stack traces of it and its causes. */
    private static String describe(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        StringBuilder text = new StringBuilder(trace.toString());
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append('\n').append(cause).append(": ").append(cause.getMessage())
                    .append(": ").append(cause.getLocalizedMessage());
        }
        return text.toString();
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
