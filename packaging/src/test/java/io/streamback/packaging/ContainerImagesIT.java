package io.streamback.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import io.streamback.packaging.Podman.Result;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The images built from their Dockerfiles by a real container engine (podman) and run as Kubernetes
 * runs them: the image's own user, a read-only root filesystem with /tmp writable, against a real
 * Kafka and Redis (the testkit, on this host's loopback: the containers share the host's network).
 */
@Tag("containers")
class ContainerImagesIT {
    private static List<String> containersBefore;

    private final List<String> started = new ArrayList<>();

    @BeforeAll
    static void buildImages() {
        Podman.javaImage();
        containersBefore = Podman.containers();
        Podman.buildProjectImages();
    }

    @AfterEach
    void removeContainers() {
        started.forEach(name -> Podman.run(List.of("rm", "--force", "--time", "0", name), 120));
    }

    @AfterAll
    static void noContainerOfOursIsLeft() {
        if (containersBefore != null) {
            assertThat(Podman.containers()).containsExactlyInAnyOrderElementsOf(containersBefore);
        }
    }

    @Test
    void theWorkerBaseImageIsTheCliAndAsksForAnAppWhenItHasNone() {
        Result version = Podman.run(container("worker-version", Image.WORKER, Map.of(), "--version"), 120);
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).isEqualTo("streamback " + Repo.version() + "\n");

        Result run = Podman.run(container("worker-run", Image.WORKER,
                Map.of("STREAMBACK_STREAMS", "main=kafka://127.0.0.1:9&feedback=redis://127.0.0.1:9")), 120);
        assertThat(run.exitCode()).as("a configuration error: " + run.err()).isEqualTo(2);
        assertThat(run.err()).contains("No StreambackApp found").contains("META-INF/services/io.streamback.StreambackApp");
    }

    /** The runtime's modules (ARG JAVA_MODULES) cover what jdeps finds in the jar the image runs. */
    @ParameterizedTest
    @CsvSource({"WORKER, worker/target/streamback.jar",
            "OPERATOR, operator/target/streamback-operator-${version}-all.jar"})
    void theImagesRuntimeHasEveryModuleItsJarUses(Image image, String jar) throws IOException {
        String modules = Files.readAllLines(image.dockerfilePath()).stream().filter(line -> line.startsWith("ARG JAVA_MODULES="))
                .map(line -> line.substring("ARG JAVA_MODULES=".length())).findFirst().orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(err),
                "--ignore-missing-deps", "--multi-release", "17", "--print-module-deps",
                Repo.path(jar.replace("${version}", Repo.version())).toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(List.of(modules.split(","))).containsAll(List.of(out.toString().strip().split(",")));
    }

    @Test
    void anImageOnTheWorkerImageLoadsStreambacksClassesFromTheArchiveMadeAtBuildTime() {
        // -Xshare:on makes the JVM refuse to start when the archive does not match the runtime or streamback.jar.
        Result version = Podman.run(container("examples-cds", Image.EXAMPLES,
                Map.of("JDK_JAVA_OPTIONS", "-Xshare:on -Xlog:class+load=info -Xlog:cds=info"), "--version"), 120);
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).as("mapped where it was made for, not relocated (docs/images.md)")
                .contains("Mapped static  region #0").doesNotContain("ArchiveRelocationMode == 1");
        // Not picocli's: the build's training runs `run` alone, which does without picocli (StreambackCli).
        assertThat(version.out()).contains("io.streamback.cli.StreambackCli source: shared objects file")
                .contains("io.streamback.cli.RunCommand source: shared objects file")
                .contains("streamback " + Repo.version() + "\n");
    }

    @Test
    void theExamplesImageServesRpcsAsItsOwnUserOnAReadOnlyRootThenDrainsOnSigterm() throws Exception {
        String streams = Testkit.shared().streamsUrl() + "&topics_prefix=" + Testkit.uniqueName("image");
        int port = LocalHttp.freePort();
        // As the operator runs a listener: CMD run, the streams URL, the health port, the topics.
        String worker = Podman.ok(detached(container("examples-run", Image.EXAMPLES, Map.of(
                "STREAMBACK_STREAMS", streams, "STREAMBACK_HTTP_PORT", String.valueOf(port),
                "STREAMBACK_HTTP_ADDRESS", "127.0.0.1", // host network: keep the endpoints on loopback
                "STREAMBACK_TOPICS", "test_hello_rpc,test_hello_stream",
                "JDK_JAVA_OPTIONS", "-Xlog:class+load=info"))), 120);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> !Podman.running(worker) || LocalHttp.status(port, "/readyz") == 200);
        assertThat(Podman.running(worker)).as(Podman.logs(worker)).isTrue();
        assertThat(processUid(worker)).as("the worker's user").isEqualTo("10001");
        assertThat(Podman.logs(worker)).as("what loads once Kafka answers is in the archive too (connected-classes.list)")
                .contains("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator source: shared objects file")
                .contains("sun.net.httpserver.ServerImpl source: shared objects file");

        try (Streamback producer = Streamback.create(Testkit.uniqueName("image-test"), streams)) {
            Optional<JsonNode> reply = producer.send("test_hello_rpc", Map.of("something", "Hello world!"))
                    .read(Duration.ofSeconds(30)).map(Reply::value);
            assertThat(reply).map(JsonNode::asText).contains("Hello from the consumer!");
            assertThat(producer.send("test_hello_stream", Map.of()).stream().map(Reply::value).map(JsonNode::asText).toList())
                    .hasSize(10).startsWith("Hello #0 from the consumer!");
        }

        // As a StreambackSchedule's CronJob runs the image: args `send TOPIC JSON` replace CMD.
        Result send = Podman.run(container("examples-send", Image.EXAMPLES, Map.of("STREAMBACK_STREAMS", streams),
                "send", "test_hello_rpc", "{\"something\": \"from a CronJob\"}", "--wait", "30s"), 120);
        assertThat(send.exitCode()).as(send.err()).isZero();
        assertThat(send.out()).isEqualTo("\"Hello from the consumer!\"\n");

        assertThat(pythonRpc(streams)).isEqualTo("{\"reply\": \"Hello from the consumer!\"}");
        assertThat(LocalHttp.status(port, "/healthz")).isEqualTo(200);
        assertThat(LocalHttp.status(port, "/metrics")).isEqualTo(200);

        Podman.ok(List.of("stop", "--time", "60", worker), 120); // SIGTERM, as Kubernetes stops a pod
        assertThat(Podman.ok(List.of("inspect", "--format", "{{.State.ExitCode}}", worker), 60)).isEqualTo("0");
        assertThat(Podman.logs(worker)).contains("SIGTERM received: stopping gracefully")
                .contains("Worker 'example_consumer_app' stopped");
    }

    /** The real user id of the container's main process, as this host sees it in /proc. */
    private static String processUid(String container) throws IOException {
        String pid = Podman.ok(List.of("inspect", "--format", "{{.State.Pid}}", container), 60);
        return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(line -> line.startsWith("Uid:"))
                .map(line -> line.split("\\s+")[1]).findFirst().orElseThrow();
    }

    /** An RPC from the real Python library (the interpreter of -Dstreamback.python) to the container. */
    private static String pythonRpc(String streams) throws Exception {
        String python = System.getProperty("streamback.python", "");
        if (python.isBlank() || python.startsWith("${")) {
            fail("-Dstreamback.python (a Python with the streamback library, from .ci/python-peer-env) is not set");
        }
        Process process = new ProcessBuilder(python, "-u", Repo.path("worker-runtime/src/test/python/peer.py").toString(),
                "send", "--name", Testkit.uniqueName("python-producer"), "--streams", streams,
                "--topic", "test_hello_rpc", "--value", "{\"something\": \"from Python\"}", "--read", "--timeout", "30")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the Python producer ended").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(line -> line.startsWith("{")).findFirst().orElse(output);
    }

    /** {@code podman run} of {@code image} as a pod runs it: host network, read-only root, /tmp writable. */
    private List<String> container(String name, Image image, Map<String, String> env, String... args) {
        String unique = Testkit.uniqueName(name);
        started.add(unique);
        List<String> command = new ArrayList<>(List.of("run", "--name", unique, "--network", "host",
                "--read-only", "--tmpfs", "/tmp:rw,size=64m"));
        env.forEach((variable, value) -> command.addAll(List.of("--env", variable + "=" + value)));
        command.add(image.reference());
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> detached(List<String> run) {
        List<String> command = new ArrayList<>(run);
        command.add(1, "--detach");
        return command;
    }
}
