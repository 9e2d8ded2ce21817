package io.streamback.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker and examples images without a container: their files assembled from the Dockerfiles'
 * COPY lines, their ENTRYPOINT and CMD run with their ENV, against a real Kafka and Redis (the testkit).
 */
class WorkerImageIT {

    static final Path LOGS = Repo.scratch("image-logs");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theWorkerBaseImageIsTheCliAndAsksForAnAppWhenItHasNone() throws Exception {
        ImageLayout worker = ImageLayout.assemble(Image.WORKER, Repo.scratch("image-layouts").resolve("worker"));
        assertThat(worker.file("/opt/streamback/streamback.jar")).isRegularFile();

        Process version = start(worker, Map.of(), "worker-version", "--version");
        assertThat(exit(version)).isZero();
        assertThat(read("worker-version.out")).isEqualTo("streamback " + Repo.version() + "\n");
        assertThat(read("worker-version.err")).as("the image's JVM options are valid and applied")
                .contains("Picked up JAVA_TOOL_OPTIONS: " + worker.dockerfile.env().get("JAVA_TOOL_OPTIONS"));

        // CMD ["run"] with nothing in /opt/streamback/lib/: a configuration error, exit 2.
        Process run = start(worker, Map.of("STREAMBACK_STREAMS", "main=kafka://localhost:9&feedback=redis://localhost:9"),
                "worker-run");
        assertThat(exit(run)).isEqualTo(2);
        assertThat(read("worker-run.err")).contains("No StreambackApp found")
                .contains("META-INF/services/io.streamback.StreambackApp");
    }

    @Test
    void theExamplesImageServesRpcsThenStopsCleanlyOnSigterm() throws Exception {
        ImageLayout examples = ImageLayout.assemble(Image.EXAMPLES, Repo.scratch("image-layouts").resolve("examples"));
        assertThat(examples.file("/opt/streamback/streamback.jar")).isRegularFile();
        assertThat(examples.file("/opt/streamback/lib/streamback-examples.jar")).isRegularFile();

        String streams = Testkit.shared().streamsUrl() + "&topics_prefix=" + Testkit.uniqueName("image");
        int port = freePort();
        // As the operator runs a listener: CMD run, the streams URL and the health port; no STREAMBACK_APP,
        // so the worker finds ExampleApp in lib/ through ServiceLoader.
        Process worker = start(examples, Map.of("STREAMBACK_STREAMS", streams, "STREAMBACK_HTTP_PORT",
                String.valueOf(port), "STREAMBACK_TOPICS", "test_hello_rpc,test_hello_stream"), "examples-run");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> !worker.isAlive() || status(port, "/readyz") == 200);
        assertThat(worker.isAlive()).as(read("examples-run.out") + read("examples-run.err")).isTrue();
        assertThat(read("examples-run.out")).contains("example_consumer_app").contains("test_hello_rpc");

        try (Streamback producer = Streamback.create(Testkit.uniqueName("image-test"), streams)) {
            Optional<JsonNode> reply = producer.send("test_hello_rpc", Map.of("something", "Hello world!"))
                    .read(Duration.ofSeconds(30));
            assertThat(reply).map(JsonNode::asText).contains("Hello from the consumer!");
            assertThat(producer.send("test_hello_stream", Map.of()).stream().map(JsonNode::asText).toList())
                    .hasSize(10).startsWith("Hello #0 from the consumer!");
        }

        // As a StreambackSchedule's CronJob runs the image: args send TOPIC JSON replace CMD.
        Process send = start(examples, Map.of("STREAMBACK_STREAMS", streams), "examples-send",
                "send", "test_hello_rpc", "{\"something\": \"from a CronJob\"}", "--wait", "30s");
        assertThat(exit(send)).as(read("examples-send.err")).isZero();
        assertThat(read("examples-send.out")).isEqualTo("\"Hello from the consumer!\"\n");

        assertThat(status(port, "/metrics")).isEqualTo(200);
        worker.destroy(); // SIGTERM, as Kubernetes stops a pod
        assertThat(exit(worker)).as(read("examples-run.out")).isZero();
        assertThat(read("examples-run.out")).contains("SIGTERM received: stopping gracefully")
                .contains("Worker 'example_consumer_app' stopped");
    }

    private Process start(ImageLayout layout, Map<String, String> env, String name, String... args) throws IOException {
        Process process = layout.process(env, LOGS, name, args).start();
        started.add(process);
        return process;
    }

    static int exit(Process process) throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
        return process.exitValue();
    }

    static String read(String log) throws IOException {
        return Files.readString(LOGS.resolve(log));
    }

    static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
