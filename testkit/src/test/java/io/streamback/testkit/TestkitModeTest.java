package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestkitModeTest {

    /** A JVM start and the engine detection, on a busy machine: well below any start timeout of the servers. */
    private static final Duration AT_ONCE = Duration.ofSeconds(20);
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(90);

    @Test
    void parsesTheModeWhateverItsCaseAndSpacing() {
        assertThat(TestkitMode.parse("processes", "test")).isEqualTo(TestkitMode.PROCESSES);
        assertThat(TestkitMode.parse(" Containers ", "test")).isEqualTo(TestkitMode.CONTAINERS);
    }

    @Test
    void rejectsAnUnknownModeNamingItsSourceAndTheChoices() {
        assertThatThrownBy(() -> TestkitMode.parse("docker", "system property " + TestkitMode.PROPERTY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("system property streamback.testkit.mode is 'docker'")
                .hasMessageContaining("processes, containers");
    }

    @Test
    void defaultImagesAreTheOfficialOnesOfTheKafkaOnTheClasspath() {
        assertThat(ContainerImages.defaultKafka()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(ContainerImages.DEFAULT_REDIS).isEqualTo("redis:7");
    }

    @Test
    void brokerPropertiesBecomeTheVariablesOfTheOfficialKafkaImage() {
        assertThat(KafkaBroker.Builder.environmentVariable("log.segment.bytes")).isEqualTo("KAFKA_LOG_SEGMENT_BYTES");
        assertThat(KafkaBroker.Builder.environmentVariable("a_b-c.d")).isEqualTo("KAFKA_A__B___C_D");
    }

    /**
     * In a JVM of its own, as Testcontainers detects the engine once per JVM: the container mode with
     * an engine socket that does not exist must fail at once, saying what to run, not time out.
     */
    @Test
    void containerModeWithoutAnEngineFailsAtOnceSayingWhatToRun(@TempDir Path temp) throws Exception {
        Path outputFile = temp.resolve("probe.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-D" + TestkitMode.PROPERTY + "=containers", MissingEngineProbe.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile());
        builder.environment().put("DOCKER_HOST", "unix:///nonexistent/docker.sock");
        builder.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
        long started = System.nanoTime();
        Process probe = builder.start();
        boolean exited = probe.waitFor(PROBE_LIMIT.toSeconds(), TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!exited) {
            probe.destroyForcibly().waitFor();
        }
        String output = Files.readString(outputFile, StandardCharsets.UTF_8);

        assertThat(exited).as("probe exited; output:%n%s", output).isTrue();
        assertThat(probe.exitValue()).as(output).isEqualTo(1);
        assertThat(took).isLessThan(AT_ONCE);
        assertThat(output)
                .contains("java.lang.IllegalStateException: The testkit's container mode")
                .contains("needs a Docker-compatible container engine")
                .contains("DOCKER_HOST=unix:///nonexistent/docker.sock")
                .contains("podman system service")
                .contains("-Dstreamback.testkit.mode=processes");
    }
}
