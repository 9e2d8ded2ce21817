package io.streamback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.StreambackApp;
import io.streamback.internal.config.WorkerEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that exits with an error writes its one-line reason where Kubernetes reads the
 * container's termination message, without credentials; outside Kubernetes (no such file) it
 * writes nothing.
 */
class TerminationMessageTest {

    @TempDir
    Path dir;

    /** A listener app with one listener, to get as far as connecting to the streams. */
    public static final class OneListenerApp implements StreambackApp {
        @Override
        public String name() {
            return "one-listener";
        }

        @Override
        public void configure(Streamback streamback) {
            streamback.listen("orders", (context, message) -> { });
        }
    }

    @Test
    void streamsOutOfReachAtStartAreTheTerminationMessageWithoutThePassword() throws Exception {
        Path log = Files.createFile(dir.resolve("termination-log"));
        String closed = "127.0.0.1:" + CliRunner.freePort();
        int exit = new RunCommand(Map.of(
                WorkerEnvironment.STREAMS, "main=kafka://" + closed + "&feedback=redis://user:s3cret@" + closed,
                WorkerEnvironment.APP, OneListenerApp.class.getName(),
                WorkerEnvironment.HTTP_PORT, "0"), new TerminationMessage(log)).call();

        assertThat(exit).isEqualTo(RunCommand.FAILED);
        String message = Files.readString(log);
        assertThat(message).startsWith("Cannot start: ").contains(closed).doesNotContain("s3cret").doesNotContain("\n");
    }

    @Test
    void aConfigurationErrorIsTheTerminationMessageNamingTheVariable() throws Exception {
        Path log = Files.createFile(dir.resolve("termination-log"));
        int exit = new RunCommand(Map.of(
                WorkerEnvironment.STREAMS, "main=kafka://127.0.0.1:9&feedback=redis://127.0.0.1:9",
                WorkerEnvironment.APP, "io.streamback.NoSuchApp"), new TerminationMessage(log)).call();

        assertThat(exit).isEqualTo(StreambackCli.USAGE);
        assertThat(Files.readString(log))
                .isEqualTo("streamback run: STREAMBACK_APP=io.streamback.NoSuchApp: no such class on the classpath");
    }

    @Test
    void withoutTheFileNothingIsWritten() {
        Path absent = dir.resolve("termination-log");
        new TerminationMessage(absent).write("Cannot start: anything");
        assertThat(absent).doesNotExist();
    }

    @Test
    void aLongReasonIsCutToWhatKubernetesKeeps() throws Exception {
        Path log = Files.createFile(dir.resolve("termination-log"));
        new TerminationMessage(log).write("x".repeat(10_000));
        assertThat(Files.size(log)).isEqualTo(TerminationMessage.MAX_BYTES);
    }
}
