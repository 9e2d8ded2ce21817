package io.streamback.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.testing.ControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator image without a container: its jar copied as the Dockerfile copies it, its ENTRYPOINT
 * run with its ENV against a real Kubernetes API server (the operator tests' control plane, built by
 * .ci/control-plane, with the repository's CRDs installed), then given the manifests of examples/k8s.
 */
class OperatorImageIT {

    static final Path LOGS = Repo.scratch("image-logs");

    @Test
    void theOperatorImageReconcilesTheExamplesThenStopsOnSigterm() throws Exception {
        ImageLayout operator = ImageLayout.assemble(Image.OPERATOR, Repo.scratch("image-layouts").resolve("operator"));
        assertThat(operator.file("/opt/streamback-operator/streamback-operator.jar")).isRegularFile();

        ControlPlane plane = ControlPlane.get();
        Process process = null;
        try (KubernetesClient client = plane.adminClient()) {
            for (Path crd : ChartFilesTest.files(Repo.path("crds"))) {
                try (InputStream in = Files.newInputStream(crd)) {
                    client.load(in).create();
                }
            }
            // Served once the API server has established them.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                client.resources(StreambackListener.class).inAnyNamespace().list();
                client.resources(StreambackSchedule.class).inAnyNamespace().list();
                return true;
            });
            Path kubeconfig = plane.writeKubeconfig();
            int port = LocalHttp.freePort();
            // The chart's environment, less what needs a pod (POD_NAMESPACE, the service account).
            process = operator.process(Map.of(
                    "KUBECONFIG", kubeconfig.toString(),
                    "STREAMBACK_WORKER_IMAGE", Image.EXAMPLES.reference(),
                    "STREAMBACK_OPERATOR_LEADER_ELECTION", "false",
                    "STREAMBACK_OPERATOR_HTTP_PORT", String.valueOf(port),
                    "POD_NAME", "streamback-operator-test"), LOGS, "operator").start();
            Process running = process;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !running.isAlive() || LocalHttp.status(port, "/readyz") == 200);
            assertThat(process.isAlive()).as(log("operator.out") + log("operator.err")).isTrue();
            assertThat(log("operator.err")).contains("Picked up JAVA_TOOL_OPTIONS: "
                    + operator.dockerfile.env().get("JAVA_TOOL_OPTIONS"));

            for (Path file : ChartFilesTest.files(Repo.path("examples/k8s"))) {
                if (file.toString().endsWith(".yaml")) {
                    client.resource(typed(Files.readString(file))).create();
                }
            }
            String ns = "streamback-demo";
            var eventually = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));
            Deployment billing = eventually.until(() -> client.apps().deployments().inNamespace(ns).withName("billing")
                    .get(), d -> d != null);
            assertThat(billing.getSpec().getReplicas()).isEqualTo(3);
            assertThat(billing.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo(Image.EXAMPLES.reference());
            Deployment notifications = eventually.until(() -> client.apps().deployments().inNamespace(ns)
                    .withName("notifications").get(), d -> d != null);
            assertThat(notifications.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .as("the default worker image").isEqualTo(Image.EXAMPLES.reference());
            assertThat(notifications.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                    .containsExactly("run");
            eventually.until(() -> client.apps().deployments().inNamespace(ns).withName("heartbeat-scheduler").get() != null);
            CronJob report = eventually.until(() -> client.resources(CronJob.class).inNamespace(ns)
                    .withName("nightly-report").get(), c -> c != null);
            assertThat(report.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getArgs()).startsWith("send", "reports");
            assertThat(LocalHttp.status(port, "/metrics")).isEqualTo(200);

            process.destroy(); // SIGTERM, as Kubernetes stops the pod
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("128 + SIGTERM, after the shutdown hook").isEqualTo(143);
            assertThat(log("operator.out")).contains("Streamback operator running")
                    .contains("Streamback operator stopped");
        } finally {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static HasMetadata typed(String yaml) {
        if (yaml.contains("kind: StreambackListener")) {
            return Serialization.unmarshal(yaml, StreambackListener.class);
        }
        if (yaml.contains("kind: StreambackSchedule")) {
            return Serialization.unmarshal(yaml, StreambackSchedule.class);
        }
        return Serialization.unmarshal(yaml);
    }

    static String log(String name) throws IOException {
        return Files.readString(LOGS.resolve(name));
    }
}
