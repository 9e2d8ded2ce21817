package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Starts a private testkit in the configured mode, prints how long it took to be ready and the memory
 * it holds, and checks that closing it leaves no server of its own behind. The numbers are printed,
 * not asserted; run it alone so that the start is the JVM's first:
 * {@code mvn -pl testkit test -Dtest=TestkitFootprintTest [-Dstreamback.testkit.mode=containers ...]},
 * output in {@code testkit/target/surefire-reports/io.streamback.testkit.TestkitFootprintTest-output.txt}.
 */
class TestkitFootprintTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void startsReadyAndLeavesNoServerBehind() {
        TestkitMode mode = TestkitMode.configured();
        long serversBefore = serversOfOurs(mode);

        long started = System.nanoTime();
        try (Testkit testkit = Testkit.start()) {
            Duration ready = Duration.ofNanos(System.nanoTime() - started);
            testkit.kafka().createTopic(Testkit.uniqueName("footprint"), 1);

            // Kafka runs inside this JVM in processes mode; Redis is a child process there.
            assertThat(serversOfOurs(mode)).isEqualTo(serversBefore + (mode == TestkitMode.CONTAINERS ? 2 : 1));
            long jvm = residentBytes(ProcessHandle.current()).orElse(0L);
            long servers = serverProcesses(testkit).map(TestkitFootprintTest::residentBytes)
                    .flatMap(Optional::stream).mapToLong(Long::longValue).sum();
            System.out.printf("testkit footprint: mode=%s ready=%d ms test-JVM RSS=%d MiB servers RSS=%d MiB total=%d MiB%n",
                    mode.settingValue(), ready.toMillis(), jvm / MIB, servers / MIB, (jvm + servers) / MIB);
        }

        assertThat(serversOfOurs(mode)).isEqualTo(serversBefore);
    }

    /** The testkit's containers on the engine, or the redis-server processes under this JVM. */
    private static long serversOfOurs(TestkitMode mode) {
        if (mode == TestkitMode.CONTAINERS) {
            return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Containers.LABEL, "true")).exec().size();
        }
        return ProcessHandle.current().descendants()
                .filter(process -> process.info().command().filter(command -> command.contains("redis-server")).isPresent())
                .count();
    }

    /** The processes of the servers outside this JVM: Redis's child process, or everything in both containers. */
    private static Stream<ProcessHandle> serverProcesses(Testkit testkit) {
        List<GenericContainer<?>> containers = Stream.of(testkit.kafka().container(), testkit.redis().container())
                .flatMap(Optional::stream).toList();
        if (containers.isEmpty()) {
            return ProcessHandle.current().descendants();
        }
        return containers.stream()
                .map(container -> container.getContainerInfo().getState().getPidLong())
                .flatMap(pid -> ProcessHandle.of(pid).stream())
                .flatMap(init -> Stream.concat(Stream.of(init), init.descendants()));
    }

    /** VmRSS from {@code /proc}; empty where there is no {@code /proc} or the process is gone. */
    private static Optional<Long> residentBytes(ProcessHandle process) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
