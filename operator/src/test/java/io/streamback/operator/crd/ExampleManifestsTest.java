package io.streamback.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.Kubectl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The manifests in examples/k8s are accepted by a real API server with the CRDs, and the operator runs them. */
class ExampleManifestsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String NAMESPACE = "streamback-demo";

    static Path examplesDir() {
        return Path.of(System.getProperty("streamback.examples.dir", "../examples/k8s"));
    }

    static Map<Path, JsonNode> examples() throws IOException {
        try (Stream<Path> files = Files.list(examplesDir())) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                    .collect(Collectors.toMap(f -> f, ExampleManifestsTest::read, (a, b) -> a,
                            LinkedHashMap::new));
        }
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the API server answers to a dry-run create of {@code resource}: empty if accepted, else its message. */
    static String dryRunCreate(Cluster cluster, JsonNode resource) {
        GenericKubernetesResource generic = Serialization.unmarshal(resource.toString(), GenericKubernetesResource.class);
        generic.getMetadata().setNamespace(NAMESPACE);
        // A name of its own: the examples themselves may be stored already.
        generic.getMetadata().setName(generic.getMetadata().getName() + "-dry-run");
        try {
            cluster.client().genericKubernetesResources(generic.getApiVersion(), generic.getKind())
                    .inNamespace(NAMESPACE).resource(generic).dryRun().create();
            return "";
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
            return e.getStatus().getMessage();
        }
    }

    @Test
    void everyExampleIsAcceptedByKubectlApplyClientAndServerSide() throws Exception {
        Map<Path, JsonNode> examples = examples();
        List<JsonNode> all = List.copyOf(examples.values());
        assertThat(all).extracting(r -> r.path("kind").asText())
                .contains("Namespace", "Secret", "StreambackListener", "StreambackSchedule");
        assertThat(all).filteredOn(r -> r.path("kind").asText().equals("StreambackListener")).hasSizeGreaterThanOrEqualTo(2);
        List<String> whens = all.stream().map(r -> r.path("spec").path("when").asText()).filter(w -> !w.isEmpty()).toList();
        assertThat(whens).anyMatch(w -> w.trim().split("\\s+").length == 6 && w.startsWith("*/30"))
                .anyMatch(w -> w.trim().split("\\s+").length == 5);

        try (Cluster cluster = Cluster.withoutOperator()) {
            String dir = examplesDir().toString();
            // Client-side apply (kubectl's default), then server-side apply of the same files.
            assertThat(Kubectl.run(cluster, "apply", "-f", dir)).contains("streambacklistener.streamback.io/billing created");
            assertThat(Kubectl.run(cluster, "apply", "--server-side", "--force-conflicts", "-f", dir))
                    .contains("streambacklistener.streamback.io/billing serverside-applied");
        }
    }

    @Test
    void theApiServerRefusesWhatTheSchemaForbidsNamingTheField() throws IOException {
        JsonNode listener = read(examplesDir().resolve("10-listener-billing.yaml"));
        JsonNode schedule = read(examplesDir().resolve("21-schedule-nightly-report.yaml"));
        JsonNode autoscaled = read(examplesDir().resolve("12-listener-logs-autoscaled.yaml"));
        try (Cluster cluster = Cluster.withoutOperator()) {
            if (cluster.client().namespaces().withName(NAMESPACE).get() == null) {
                cluster.create(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build());
            }
            assertThat(dryRunCreate(cluster, listener)).isEmpty();
            assertThat(dryRunCreate(cluster, autoscaled)).isEmpty();
            assertThat(dryRunCreate(cluster, schedule)).isEmpty();

            assertThat(dryRunCreate(cluster, mutate(listener, spec -> spec.remove("topics")))).contains("spec.topics: Required");
            assertThat(dryRunCreate(cluster, mutate(listener, spec -> spec.putArray("topics")))).contains("spec.topics");
            assertThat(dryRunCreate(cluster, mutate(listener, spec -> ((ArrayNode) spec.get("topics")).add("no spaces"))))
                    .contains("spec.topics[2]");
            assertThat(dryRunCreate(cluster, mutate(listener, spec -> spec.put("concurrency", -1))))
                    .contains("spec.concurrency");
            assertThat(dryRunCreate(cluster, mutate(listener, spec -> spec.put("imagePullPolicy", "Sometimes"))))
                    .contains("spec.imagePullPolicy");
            assertThat(dryRunCreate(cluster, mutate(listener, spec -> ((ObjectNode) spec.get("autoRestart")).put("maxSeconds", 5))))
                    .contains("spec.autoRestart.maxSeconds");
            assertThat(dryRunCreate(cluster, mutate(listener, spec -> spec.put("streams", "main=kafka://kafka:9092"))))
                    .contains("set exactly one of spec.streams and spec.streamsSecretRef");
            assertThat(dryRunCreate(cluster, mutate(autoscaled, spec -> spec.put("concurrency", 5))))
                    .as("what kubectl scale writes").contains("spec.concurrency and spec.autoscaling are mutually exclusive");
            assertThat(dryRunCreate(cluster, mutate(autoscaled, spec -> ((ObjectNode) spec.get("autoscaling")).put("lagPerReplica", 100))))
                    .contains("spec.autoscaling");
            assertThat(dryRunCreate(cluster, mutate(autoscaled, spec -> ((ObjectNode) spec.get("autoscaling")).put("pollIntervalSeconds", 0))))
                    .contains("spec.autoscaling.pollIntervalSeconds");
            assertThat(dryRunCreate(cluster, mutate(schedule, spec -> spec.put("when", "every day at three"))))
                    .contains("spec.when");
            assertThat(dryRunCreate(cluster, mutate(schedule, spec -> spec.remove("then")))).contains("spec.then: Required");
            assertThat(dryRunCreate(cluster, mutate(schedule, spec -> spec.putObject("args").putArray("anything").add(1))))
                    .as("args keeps any JSON object").isEmpty();
        }
    }

    @Test
    void theOperatorRunsTheExamples() throws IOException {
        try (Cluster cluster = Cluster.withOperator()) {
            for (JsonNode resource : examples().values()) {
                String yaml = YAML.writeValueAsString(resource);
                HasMetadata object = switch (resource.path("kind").asText()) {
                    case "StreambackListener" -> Serialization.unmarshal(yaml, StreambackListener.class);
                    case "StreambackSchedule" -> Serialization.unmarshal(yaml, StreambackSchedule.class);
                    default -> cluster.client().getKubernetesSerialization().unmarshal(yaml);
                };
                // (Another test of this class may have applied them already.)
                cluster.client().resource(object).forceConflicts().serverSideApply();
            }
            String ns = NAMESPACE;
            var eventually = await().atMost(Duration.ofSeconds(20));
            Deployment billing = eventually.until(() -> cluster.deployment(ns, "billing"), d -> d != null);
            assertThat(billing.getSpec().getReplicas()).isEqualTo(3);
            Deployment notifications = eventually.until(() -> cluster.deployment(ns, "notifications"), d -> d != null);
            assertThat(notifications.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo(Cluster.WORKER_IMAGE);
            eventually.until(() -> cluster.deployment(ns, "heartbeat-scheduler") != null);
            // No Kafka behind the example Secret here: the autoscaled listener starts at its first tier's
            // pods and says why it cannot read the lag.
            Deployment logs = eventually.until(() -> cluster.deployment(ns, "logs"), d -> d != null);
            assertThat(logs.getSpec().getReplicas()).isEqualTo(1);
            StreambackListener logsListener = eventually.until(() -> cluster.get(StreambackListener.class, ns, "logs"),
                    l -> l.getStatus() != null && l.getStatus().getConditions().stream()
                            .anyMatch(c -> c.getType().equals("ScalingActive")));
            assertThat(logsListener.getStatus().getConditions()).filteredOn(c -> c.getType().equals("ScalingActive"))
                    .singleElement().satisfies(c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("LagUnavailable");
                        assertThat(c.getMessage()).contains("kafka.kafka.svc:9092").endsWith("keeping 1 pod");
                    });
            CronJob report = eventually.until(() -> cluster.get(CronJob.class, ns, "nightly-report"), c -> c != null);
            assertThat(report.getSpec().getTimeZone()).isEqualTo("Europe/Paris");
        }
    }

    static JsonNode mutate(JsonNode resource, Consumer<ObjectNode> change) {
        JsonNode copy = resource.deepCopy();
        change.accept((ObjectNode) copy.get("spec"));
        return copy;
    }
}
