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
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator image, built by podman from its Dockerfile, run as the chart runs it (its own user,
 * read-only root, /tmp writable) with a mounted kubeconfig against a real Kubernetes API server (the
 * operator tests' control plane, built by .ci/control-plane, with the repository's CRDs installed),
 * then given the manifests of examples/k8s.
 */
@Tag("containers")
class OperatorImageIT {

    @BeforeAll
    static void buildImages() {
        Podman.buildProjectImages();
    }

    @Test
    void theOperatorImageReconcilesTheExamplesThenStopsOnSigterm() throws Exception {
        ControlPlane plane = ControlPlane.get();
        String name = Testkit.uniqueName("operator");
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
            // The image's user (10001) reads the kubeconfig from a mount; the CA goes inline, as the
            // container sees none of this host's files.
            Path kubeconfig = Files.writeString(Repo.scratch("operator-image").resolve("kubeconfig"),
                    withCaInline(Files.readString(plane.writeKubeconfig())));
            Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));
            int port = LocalHttp.freePort();
            // The chart's environment, less what needs a pod (POD_NAMESPACE, the service account).
            String container = Podman.ok(List.of("run", "--detach", "--name", name, "--network", "host",
                    "--read-only", "--tmpfs", "/tmp:rw,size=64m",
                    "--volume", kubeconfig + ":/etc/streamback/kubeconfig:ro",
                    "--env", "KUBECONFIG=/etc/streamback/kubeconfig",
                    "--env", "STREAMBACK_WORKER_IMAGE=" + Image.EXAMPLES.reference(),
                    "--env", "STREAMBACK_OPERATOR_LEADER_ELECTION=false",
                    "--env", "STREAMBACK_OPERATOR_HTTP_PORT=" + port,
                    "--env", "STREAMBACK_OPERATOR_HTTP_ADDRESS=127.0.0.1",
                    "--env", "POD_NAME=streamback-operator-test",
                    Image.OPERATOR.reference()), 120);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !Podman.running(container) || LocalHttp.status(port, "/readyz") == 200);
            assertThat(Podman.running(container)).as(Podman.logs(container)).isTrue();
            assertThat(Podman.logs(container)).contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=70");

            for (Path file : ChartFilesTest.files(Repo.path("examples/k8s"))) {
                if (file.toString().endsWith(".yaml")) {
                    client.resource(typed(Files.readString(file))).create();
                }
            }
            String ns = "streamback-demo";
            var eventually = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
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

            Podman.ok(List.of("stop", "--time", "60", container), 120); // SIGTERM, as Kubernetes stops the pod
            assertThat(Podman.ok(List.of("inspect", "--format", "{{.State.ExitCode}}", container), 60))
                    .as("128 + SIGTERM, after the shutdown hook").isEqualTo("143");
            assertThat(Podman.logs(container)).contains("Streamback operator running").contains("Streamback operator stopped");
        } finally {
            Podman.run(List.of("rm", "--force", "--time", "0", name), 120);
        }
    }

    private static String withCaInline(String kubeconfig) throws IOException {
        Matcher caFile = Pattern.compile("certificate-authority: (\\S+)").matcher(kubeconfig);
        if (!caFile.find()) {
            return kubeconfig;
        }
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(caFile.group(1))));
        return caFile.replaceFirst("certificate-authority-data: " + ca);
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
}
