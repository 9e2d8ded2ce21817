package io.streamback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.cli.CliRunner.Result;
import io.streamback.listener.Message;
import io.streamback.listener.MessageHandler;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamback send} as a child process, against listeners on the real broker and Redis: output and exit codes. */
@StreambackTest
class SendCommandTest {
    private final Testkit testkit;
    private final List<Streamback> listeners = new ArrayList<>();
    private CliRunner cli;
    private String topic;

    @TempDir
    Path logs;

    SendCommandTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        cli = CliRunner.fromClasspath(logs).env("STREAMBACK_STREAMS", testkit.streamsUrl());
        topic = Testkit.uniqueName("topic");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        listeners.forEach(Streamback::close);
        cli.killAll();
    }

    @Test
    void sendsOneWayWithKeyAndNameAndPrintsNothing() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        listen((context, message) -> received.add(message));

        Result result = cli.env("STREAMBACK_NAME", "billing").run("send", topic, "{\"id\": 7}", "--key", "customer-7");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEmpty();
        Message message = received.poll(60, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(message.value().get("id").asInt()).isEqualTo(7);
        assertThat(message.key()).contains("customer-7");
        assertThat(message.sourceGroup()).contains("billing");
    }

    @Test
    void theNameDefaultsToStreambackCliAndTheValueToNull() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        listen((context, message) -> received.add(message));

        assertThat(cli.run("send", topic).exitCode()).isZero();

        Message message = received.poll(60, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(message.value().isNull()).isTrue();
        assertThat(message.sourceGroup()).contains("streamback-cli");
    }

    @Test
    void waitPrintsTheFirstReplyAsOneJsonLine() throws Exception {
        listen((context, message) -> {
            message.respond(Map.of("greeting", "hello " + message.value().get("who").asText()));
            message.respond("second");
        });

        Result result = cli.run("send", topic, "{\"who\": \"world\"}", "--wait", "30s");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdoutLines()).containsExactly("{\"greeting\":\"hello world\"}");
    }

    @Test
    void streamPrintsEveryReplyUntilTheListenersFinish() throws Exception {
        listen((context, message) -> {
            for (int i = 0; i < 3; i++) {
                message.respond(Map.of("n", i));
            }
        });

        Result result = cli.run("send", topic, "{}", "--stream", "--timeout", "PT30S");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdoutLines()).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void aNullReplyPrintsNullAndTheEndPrintsNothing() throws Exception {
        listen((context, message) -> {
            if (message.value().path("reply").asBoolean()) {
                message.respond(null);
                message.respond(1);
            }
        });

        Result streamed = cli.run("send", topic, "{\"reply\": true}", "--stream", "--timeout", "30s");
        Result waitedForNull = cli.run("send", topic, "{\"reply\": true}", "--wait", "30s");
        Result waitedForNothing = cli.run("send", topic, "{\"reply\": false}", "--wait", "30s");

        assertThat(streamed.exitCode()).as(streamed.stderr()).isZero();
        assertThat(streamed.stdoutLines()).containsExactly("null", "1");
        assertThat(waitedForNull.stdoutLines()).containsExactly("null");
        assertThat(waitedForNothing.exitCode()).as(waitedForNothing.stderr()).isZero();
        assertThat(waitedForNothing.stdoutLines()).isEmpty();
    }

    @Test
    void fromGroupKeepsTheRepliesOfThatApplication() throws Exception {
        String wanted = Testkit.uniqueName("wanted");
        listen(Testkit.uniqueName("other"), (context, message) -> message.respond("from other"));
        listen(wanted, (context, message) -> message.respond("from wanted"));

        Result result = cli.run("send", topic, "{}", "--stream", "--from-group", wanted, "--timeout", "30s");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdoutLines()).containsExactly("\"from wanted\"");
    }

    @Test
    void noReplyInTimeExits3() throws Exception {
        Result result = cli.run("send", topic, "{}", "--wait", "500ms");

        assertThat(result.exitCode()).isEqualTo(SendCommand.TIMEOUT);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("No feedback for the message sent to topic '" + topic + "' within 500 ms");
    }

    @Test
    void aListenerErrorExits4WithItsTextOnStderr() throws Exception {
        listen((context, message) -> {
            throw new IllegalStateException("the printer is on fire");
        });

        Result result = cli.run("send", topic, "{}", "--wait", "30s");

        assertThat(result.exitCode()).isEqualTo(SendCommand.LISTENER_FAILED);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("IllegalStateException: the printer is on fire");
    }

    @Test
    void badJsonExits2SayingWhereItGoesWrong() throws Exception {
        Result result = cli.run("send", topic, "{\"id\": 7,,}");

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains("Invalid value for positional parameter at index 1 (VALUE_JSON): "
                + "'{\"id\": 7,,}' is not JSON: at line 1, column 10: Unexpected character (',' (code 44))");
    }

    @Test
    void aBadDurationExits2NamingTheOption() throws Exception {
        Result result = cli.run("send", topic, "{}", "--wait", "10 seconds");

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains("Invalid value for option '--wait': '10 seconds' is not a duration: "
                + "write e.g. 500ms, 10s, 2m, 1h or PT10S");
    }

    @Test
    void aBadStreamsUrlExits2SayingWhatIsWrongWithThePasswordMasked() throws Exception {
        Result result = cli.run("send", topic, "{}", "--streams", "main=kafka://user@s3cret:localhost:9092&feedback=redis://redis:port");

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains("feedback: port 'port' of 'redis:port' is not a number")
                .doesNotContain("s3cret");
    }

    @Test
    void withoutAStreamsUrlItExits2() throws Exception {
        Result result = CliRunner.fromClasspath(logs).run("send", topic, "{}");

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains("No streams URL: pass --streams-file FILE or --streams URL, or set STREAMBACK_STREAMS");
    }

    @Test
    void theStreamsUrlCanComeFromAPrivateFile() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        listen((context, message) -> received.add(message));
        Path file = streamsFile("\n  " + testkit.streamsUrl() + "  \n\n", "rw-------");

        Result result = CliRunner.fromClasspath(logs).run("send", topic, "{\"id\": 8}", "--streams-file", file.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(received.poll(60, TimeUnit.SECONDS)).isNotNull();
        assertThat(result.stderr()).doesNotContain("warning");
    }

    @Test
    void aStreamsFileOthersMayReadIsRefused() throws Exception {
        Path file = streamsFile("main=kafka://alice:file-Secret-61@127.0.0.1:9092", "rw-r--r--");

        Result result = CliRunner.fromClasspath(logs).run("send", topic, "{}", "--streams-file", file.toString());

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr().strip()).isEqualTo("streamback send: --streams-file " + file + ": its mode is "
                + "rw-r--r--, so users other than its owner may read or change the credentials in it; make it private: "
                + "chmod 600 " + file + " (in Kubernetes, defaultMode: 0400 on the Secret volume)");
    }

    @Test
    void aStreamsFileHoldsOneLineAndExcludesStreams() throws Exception {
        Path twoLines = streamsFile("main=kafka://alice:file-Secret-62@k:9092\nmain=kafka://k:9092", "rw-------");

        Result result = CliRunner.fromClasspath(logs).run("send", topic, "{}", "--streams-file", twoLines.toString());
        Result both = CliRunner.fromClasspath(logs).run("send", topic, "{}", "--streams-file", twoLines.toString(),
                "--streams", "main=kafka://k:9092");

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains("--streams-file " + twoLines + ": holds 2 non-blank lines; "
                + "it should hold the streams URL alone, on one line").doesNotContain("Secret");
        assertThat(both.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(both.stderr()).contains("Give --streams or --streams-file, not both");
    }

    @Test
    void aPasswordOnTheCommandLineDrawsAWarning() throws Exception {
        Result result = cli.run("send", topic, "{}", "--from-group", "g",
                "--streams", "main=kafka://alice:cli-Secret-63@127.0.0.1:9092");
        Result withoutPassword = cli.run("send", topic, "{}", "--from-group", "g", "--streams", "main=kafka://127.0.0.1:9092");

        assertThat(result.stderr().lines()).containsExactly(
                "streamback send: warning: the streams URL given with --streams holds credentials, which every local "
                        + "user can read in the process list; use --streams-file FILE (chmod 600) or STREAMBACK_STREAMS instead",
                "streamback send: --from-group needs --wait or --stream");
        assertThat(withoutPassword.stderr().lines()).containsExactly("streamback send: --from-group needs --wait or --stream");
    }

    @Test
    void aBadPercentEscapeIsOneLineWithoutTheEscape() throws Exception {
        Result result = cli.run("send", topic, "{}", "--streams", "main=kafka://alice:pw%zzSecret-64@127.0.0.1:9092");

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr().lines().filter(line -> !line.contains("warning"))).containsExactly(
                "streamback send: Invalid streams URL 'main=kafka://****@127.0.0.1:9092': main: the password has a '%' "
                        + "not followed by two hex digits (at character 22); in a user name or password, write '&' as %26, "
                        + "'@' as %40, ':' as %3A, '/' as %2F, '#' as %23, '?' as %3F and '%' as %25");
    }

    @Test
    void argumentsPicocliCannotPlaceAreQuotedRedacted() throws Exception {
        // --streams forgotten: the URL becomes an unmatched argument, which picocli quotes.
        Result result = cli.run("send", topic, "{}", "main=kafka://alice:cli-Secret-65@127.0.0.1:9092");

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains("'main=kafka://****@127.0.0.1:9092'").doesNotContain("Secret");
    }

    private Path streamsFile(String content, String mode) throws IOException {
        Path file = Files.createTempFile(logs, "streams", ".url");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void waitingForRepliesNeedsTheFeedbackStream() throws Exception {
        Result result = cli.run("send", topic, "{}", "--stream", "--streams", "main=kafka://" + testkit.bootstrapServers());

        assertThat(result.exitCode()).isEqualTo(StreambackCli.USAGE);
        assertThat(result.stderr()).contains("--stream needs the feedback stream: add feedback=redis://HOST:PORT to the streams URL");
    }

    @Test
    void redisOutOfReachExits1() throws Exception {
        Result result = cli.run("send", topic, "{}", "--wait", "30s",
                "--streams", "main=kafka://" + testkit.bootstrapServers() + "&feedback=redis://127.0.0.1:" + CliRunner.freePort());

        assertThat(result.exitCode()).isEqualTo(RunCommand.FAILED);
        assertThat(result.stderr()).contains("streamback send: Feedback stream redis://127.0.0.1:").contains("is unavailable");
    }

    @Test
    void everyCommandHasHelpAndTheToolAVersion() throws Exception {
        for (String command : List.of("run", "send", "schedule")) {
            Result help = cli.run(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.stdout()).startsWith("Usage: streamback " + command).contains("Exit codes:");
        }
        Result version = cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).matches("streamback \\d+\\.\\d+\\.\\d+.*\\R");
    }

    private void listen(MessageHandler handler) throws Exception {
        listen(Testkit.uniqueName("listener"), handler);
    }

    private void listen(String group, MessageHandler handler) throws Exception {
        Streamback listener = Streamback.create(group, testkit.streamsUrl()).listen(topic, handler);
        listeners.add(listener);
        listener.startAsync().get(60, TimeUnit.SECONDS);
    }
}
