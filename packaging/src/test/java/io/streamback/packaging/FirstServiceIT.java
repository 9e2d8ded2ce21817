package io.streamback.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "Your first service", run as it says: the service built from
 * {@code examples/first-service} (its own test ran when the reactor built it), run with the worker
 * jar, called with the CLI, stopped with SIGTERM.
 */
class FirstServiceIT {
    private final Path workerJar = Repo.path("worker/target/streamback.jar");
    private final Path serviceJar = Repo.path("examples/first-service/target/greetings-1.0.0.jar");
    private final String streams = Testkit.shared().streamsUrl();

    @Test
    void theWorkerJarRunsTheServiceAndTheCliCallsIt() throws Exception {
        Path workerLog = Repo.scratch("first-service").resolve("worker.log");
        long started = System.nanoTime();
        Process worker = command(List.of("java", "-cp", workerJar + ":" + serviceJar, "io.streamback.cli.StreambackCli", "run"))
                .redirectErrorStream(true).redirectOutput(workerLog.toFile()).start();
        try {
            assertThat(cli("send", "greet", "{\"name\": \"Ada\"}", "--wait", "60s"))
                    .as("the reply to greet; worker log in %s", workerLog).containsExactly("\"Hello, Ada!\"");
            System.out.printf("first service: worker start to first reply at the CLI %.1f s%n",
                    (System.nanoTime() - started) / 1e9);
            assertThat(cli("send", "count", "{\"to\": 3}", "--stream")).containsExactly("1", "2", "3");
        } finally {
            worker.destroy(); // SIGTERM: the worker drains and exits 0
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker stopped").isTrue();
        }
        assertThat(worker.exitValue()).as("the worker's exit code; log in %s", workerLog).isZero();
        assertThat(Files.readString(workerLog)).doesNotContain(" ERROR ");
    }

    /** Runs {@code java -jar streamback.jar ARGS} and returns its standard output's lines. */
    private List<String> cli(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", workerJar.toString()));
        command.addAll(List.of(args));
        Process process = command(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("streamback %s ended", args[0]).isTrue();
        assertThat(process.exitValue()).as("exit code of streamback %s; output: %s", String.join(" ", args), output).isZero();
        return output.lines().toList();
    }

    private ProcessBuilder command(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("STREAMBACK_STREAMS", streams);
        builder.environment().put("STREAMBACK_HTTP_PORT", "0");
        return builder;
    }
}
