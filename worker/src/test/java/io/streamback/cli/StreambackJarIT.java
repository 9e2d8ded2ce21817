package io.streamback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.cli.CliRunner.Command;
import io.streamback.cli.CliRunner.Result;
import io.streamback.listener.MessageHandler;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code streamback.jar} as users run it, {@code java -jar}, with its own Logback
 * set-up. A failsafe integration test: the jar exists only after {@code package}.
 */
@StreambackTest
class StreambackJarIT {
    private static final Path JAR = Path.of(System.getProperty("streamback.jar", "target/streamback.jar"));

    private final Testkit testkit;
    private final List<Streamback> listeners = new ArrayList<>();
    private CliRunner cli;
    private String topic;

    @TempDir
    Path logs;

    StreambackJarIT(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        assertThat(JAR).as("the shaded jar, built by package").exists();
        cli = CliRunner.fromJar(JAR, logs).env("STREAMBACK_STREAMS", testkit.streamsUrl());
        topic = Testkit.uniqueName("topic");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        listeners.forEach(Streamback::close);
        cli.killAll();
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).matches("streamback \\d+\\.\\d+\\.\\d+.*\\R");

        Result help = cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("run", "send", "schedule");
    }

    @Test
    void sendPrintsTheReplyAloneOnStdoutAndLogsOnStderr() throws Exception {
        listen((context, message) -> message.respond(Map.of("hello", message.value().get("who").asText())));

        Result result = cli.run("send", topic, "{\"who\": \"jar\"}", "--wait", "30s");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdoutLines()).containsExactly("{\"hello\":\"jar\"}");
        assertThat(result.stderr()).contains("Streamback 'streamback-cli' closed");
    }

    @Test
    void scheduleFiresUntilSigtermThenExits0() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        listen((context, message) -> received.add(message.value()));

        Command scheduler = cli.env("STREAMBACK_NAME", Testkit.uniqueName("scheduler")).env("STREAMBACK_HTTP_PORT", "0")
                .start("schedule", "--name", "tick", "--when", "* * * * * *", "--then", topic, "--args", "{\"n\": 1}");
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 2);
        scheduler.terminate();

        Result result = scheduler.awaitExit();
        assertThat(result.exitCode()).as(scheduler.output()).isZero();
        assertThat(result.stdout()).contains("SIGTERM received: stopping gracefully").contains("Scheduler '");
        assertThat(received).allSatisfy(value -> assertThat(value.get("n").asInt()).isEqualTo(1));
    }

    private void listen(MessageHandler handler) throws Exception {
        Streamback listener = Streamback.create(Testkit.uniqueName("listener"), testkit.streamsUrl()).listen(topic, handler);
        listeners.add(listener);
        listener.startAsync().get(60, TimeUnit.SECONDS);
    }
}
