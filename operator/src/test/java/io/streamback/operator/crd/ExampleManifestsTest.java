package io.streamback.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.operator.testing.Cluster;
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

/** The manifests in examples/k8s validate against the generated CRD schemas, and the operator runs them. */
class ExampleManifestsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Map<String, CustomResourceDefinition> CRDS = Map.of(
            "StreambackListener", CrdFiles.load(StreambackListener.class),
            "StreambackSchedule", CrdFiles.load(StreambackSchedule.class));

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

    static List<String> validate(JsonNode resource) {
        return SchemaValidator.validate(CRDS.get(resource.path("kind").asText()), resource);
    }

    @Test
    void everyExampleValidatesAgainstTheCrdSchemas() throws IOException {
        Map<Path, JsonNode> examples = examples();
        assertThat(examples).isNotEmpty();
        examples.forEach((file, resource) -> {
            if (CRDS.containsKey(resource.path("kind").asText())) {
                assertThat(validate(resource)).as(file.toString()).isEmpty();
            }
        });

        List<JsonNode> all = List.copyOf(examples.values());
        assertThat(all).extracting(r -> r.path("kind").asText())
                .contains("Namespace", "Secret", "StreambackListener", "StreambackSchedule");
        assertThat(all).filteredOn(r -> r.path("kind").asText().equals("StreambackListener")).hasSizeGreaterThanOrEqualTo(2);
        List<String> whens = all.stream().map(r -> r.path("spec").path("when").asText()).filter(w -> !w.isEmpty()).toList();
        assertThat(whens).anyMatch(w -> w.trim().split("\\s+").length == 6 && w.startsWith("*/30"))
                .anyMatch(w -> w.trim().split("\\s+").length == 5);
    }

    @Test
    void theValidatorRejectsWhatTheApiServerWould() throws IOException {
        JsonNode listener = read(examplesDir().resolve("10-listener-billing.yaml"));
        JsonNode schedule = read(examplesDir().resolve("21-schedule-nightly-report.yaml"));

        assertThat(validate(mutate(listener, spec -> spec.remove("topics")))).containsExactly("spec.topics: required");
        assertThat(validate(mutate(listener, spec -> spec.putArray("topics"))))
                .containsExactly("spec.topics: fewer than 1 items");
        assertThat(validate(mutate(listener, spec -> ((ArrayNode) spec.get("topics")).add("no spaces allowed"))))
                .singleElement().asString().startsWith("spec.topics[2]: \"no spaces allowed\" does not match");
        assertThat(validate(mutate(listener, spec -> spec.put("concurrency", -1))))
                .containsExactly("spec.concurrency: -1.0 is below the minimum of 0.0");
        assertThat(validate(mutate(listener, spec -> spec.put("concurrency", "3"))))
                .containsExactly("spec.concurrency: must be of type integer, not STRING");
        assertThat(validate(mutate(listener, spec -> spec.put("imagePullPolicy", "Sometimes"))))
                .singleElement().asString().startsWith("spec.imagePullPolicy: \"Sometimes\" is not one of");
        assertThat(validate(mutate(listener, spec -> spec.put("replicas", 3))))
                .containsExactly("spec.replicas: unknown field");
        assertThat(validate(mutate(listener, spec -> ((ObjectNode) spec.get("autoRestart")).put("maxSeconds", 5))))
                .containsExactly("spec.autoRestart.maxSeconds: 5.0 is below the minimum of 60.0");
        assertThat(validate(mutate(listener, spec -> spec.put("streams", "main=kafka://kafka:9092"))))
                .containsExactly("spec: set exactly one of spec.streams and spec.streamsSecretRef");
        assertThat(validate(mutate(listener, spec -> ((ObjectNode) spec.get("resources").get("limits"))
                .put("cpu", 1)))).isEmpty();
        assertThat(validate(mutate(listener, spec -> ((ObjectNode) spec.get("resources").get("limits"))
                .put("cpu", true)))).containsExactly("spec.resources.limits.cpu: matches none of 2 allowed forms",
                "spec.resources.limits.cpu: must be an integer or a string");

        JsonNode autoscaled = read(examplesDir().resolve("12-listener-logs-autoscaled.yaml"));
        assertThat(validate(autoscaled)).isEmpty();
        assertThat(validate(mutate(autoscaled, spec -> spec.put("concurrency", 5))))
                .as("what kubectl scale writes").singleElement().asString()
                .startsWith("spec: spec.concurrency and spec.autoscaling are mutually exclusive");
        assertThat(validate(mutate(autoscaled, spec -> ((ObjectNode) spec.get("autoscaling")).put("lagPerReplica", 100))))
                .containsExactly(
                        "spec.autoscaling: set either spec.autoscaling.tiers or spec.autoscaling.lagPerReplica (with maxReplicas)",
                        "spec.autoscaling: spec.autoscaling.lagPerReplica and spec.autoscaling.maxReplicas go together");
        assertThat(validate(mutate(autoscaled, spec -> ((ObjectNode) spec.get("autoscaling")).put("minReplicas", 0))))
                .singleElement().asString().startsWith("spec.autoscaling: spec.autoscaling.minReplicas does not go with tiers");
        assertThat(validate(mutate(autoscaled, spec -> ((ObjectNode) spec.get("autoscaling")).remove("tiers"))))
                .containsExactly("spec.autoscaling: set either spec.autoscaling.tiers or spec.autoscaling.lagPerReplica "
                        + "(with maxReplicas)");
        assertThat(validate(mutate(autoscaled, spec -> {
            ObjectNode autoscaling = (ObjectNode) spec.get("autoscaling");
            autoscaling.remove("tiers");
            autoscaling.put("lagPerReplica", 500).put("minReplicas", 4).put("maxReplicas", 3);
        }))).containsExactly("spec.autoscaling: spec.autoscaling.minReplicas must not be above maxReplicas");
        assertThat(validate(mutate(autoscaled, spec -> ((ObjectNode) spec.get("autoscaling")).put("pollIntervalSeconds", 0))))
                .containsExactly("spec.autoscaling.pollIntervalSeconds: 0.0 is below the minimum of 1.0");
        assertThat(validate(mutate(autoscaled, spec -> ((ObjectNode) spec.get("autoscaling").get("tiers").get(1))
                .remove("replicas")))).containsExactly("spec.autoscaling.tiers[1].replicas: required");

        assertThat(validate(mutate(schedule, spec -> spec.put("when", "every day at three"))))
                .singleElement().asString().startsWith("spec.when: \"every day at three\" does not match");
        assertThat(validate(mutate(schedule, spec -> spec.remove("then")))).containsExactly("spec.then: required");
        assertThat(validate(mutate(schedule, spec -> spec.put("suspend", "yes"))))
                .containsExactly("spec.suspend: must be of type boolean, not STRING");
        assertThat(validate(mutate(schedule, spec -> spec.putObject("args").putArray("anything").add(1))))
                .as("args keeps any JSON object").isEmpty();
        assertThat(validate(mutate(schedule, spec -> spec.put("args", "not an object"))))
                .containsExactly("spec.args: must be of type object, not STRING");
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
                cluster.create(object);
            }
            String ns = "streamback-demo";
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
