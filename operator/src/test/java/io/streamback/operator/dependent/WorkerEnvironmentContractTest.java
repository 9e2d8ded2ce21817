package io.streamback.operator.dependent;

import static io.streamback.operator.testing.TestResources.listener;
import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.AutoRestart;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pods the operator writes, read by the worker's own parser ({@link WorkerEnvironment}): every
 * variable the operator sets must reach the worker under the name it reads, with a value it accepts
 * and means the same by, and the ports and grace period around it must match what it parsed.
 */
class WorkerEnvironmentContractTest {

    static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = Cluster.withOperator();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aListenerPodsEnvironmentIsReadByTheWorkerAsTheListenerSaysIt() {
        String ns = namespace("env-listener");
        StreambackListener resource = listener(ns, "orders-worker", "orders", "refunds");
        resource.getSpec().setGroup("orders");
        resource.getSpec().setShutdownTimeoutSeconds(45);
        resource.getSpec().setAutoRestart(new AutoRestart(3600L, 512));
        cluster.create(resource);

        PodTemplateSpec pod = deployment(ns, "orders-worker").getSpec().getTemplate();
        Container container = pod.getSpec().getContainers().get(0);
        WorkerEnvironment env = WorkerEnvironment.from(resolve(ns, container));

        assertThat(env.streams()).isEqualTo(TestResources.STREAMS_URL);
        assertThat(env.name()).contains("orders");
        assertThat(env.topics()).contains(Set.of("orders", "refunds"));
        assertThat(env.shutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(env.maxAge()).contains(Duration.ofSeconds(3600));
        assertThat(env.maxMemoryMb()).isEqualTo(ListenerDeploymentDependent.workerMemoryMb(new AutoRestart(3600L, 512)));
        assertServesTheProbesPort(pod, env);
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds())
                .as("Kubernetes waits longer than the worker's own bound")
                .isEqualTo(env.shutdownTimeout().toSeconds() + ListenerDeploymentDependent.GRACE_PERIOD_MARGIN_SECONDS);
    }

    @Test
    void aListenerThatSetsNothingGetsTheWorkersDefaults() {
        String ns = namespace("env-defaults");
        cluster.create(listener(ns, "plain", "orders"));

        PodTemplateSpec pod = deployment(ns, "plain").getSpec().getTemplate();
        WorkerEnvironment env = WorkerEnvironment.from(resolve(ns, pod.getSpec().getContainers().get(0)));

        // The CRD's default, filled in by the API server, is the worker's.
        assertThat(env.shutdownTimeout()).isEqualTo(Duration.ofSeconds(WorkerEnvironment.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS));
        assertThat(env.httpPort()).isEqualTo(WorkerEnvironment.DEFAULT_HTTP_PORT);
        assertThat(env.maxAge()).isEmpty();
        assertThat(env.maxMemoryMb()).isZero();
        assertServesTheProbesPort(pod, env);
    }

    @Test
    void aShutdownTimeoutTheWorkerWouldRefuseBecomesNoPod() {
        String ns = namespace("env-refused");
        StreambackListener resource = listener(ns, "patient", "orders");
        resource.getSpec().setShutdownTimeoutSeconds(WorkerEnvironment.MAX_SHUTDOWN_TIMEOUT_SECONDS + 1);
        cluster.create(resource);

        StreambackListener rejected = await().atMost(Duration.ofSeconds(20))
                .until(() -> cluster.get(StreambackListener.class, ns, "patient"),
                        l -> l.getStatus() != null && Conditions.get(l.getStatus(), Conditions.READY)
                                .filter(c -> "InvalidSpec".equals(c.getReason())).isPresent());
        assertThat(Conditions.get(rejected.getStatus(), Conditions.READY).orElseThrow().getMessage())
                .contains("spec.shutdownTimeoutSeconds");
        assertThat(cluster.deployment(ns, "patient")).isNull();
    }

    @Test
    void aSchedulerPodsEnvironmentIsReadByTheWorker() {
        String ns = namespace("env-scheduler");
        cluster.create(schedule(ns, "heartbeat", "*/30 * * * * *", "heartbeats"));

        PodTemplateSpec pod = deployment(ns, "heartbeat" + SchedulerDeploymentDependent.SUFFIX).getSpec().getTemplate();
        WorkerEnvironment env = WorkerEnvironment.from(resolve(ns, pod.getSpec().getContainers().get(0)));

        assertThat(env.streams()).isEqualTo(TestResources.STREAMS_URL);
        assertThat(env.name()).contains("heartbeat");
        assertServesTheProbesPort(pod, env);
    }

    /** The container's port, its probes and the scrape annotation all name the port the worker listens on. */
    static void assertServesTheProbesPort(PodTemplateSpec pod, WorkerEnvironment env) {
        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getContainerPort()).isEqualTo(env.httpPort());
            assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(port.getName());
            assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(port.getName());
        });
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/port", String.valueOf(env.httpPort()));
    }

    static String namespace(String prefix) {
        String ns = cluster.namespace(prefix);
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
        return ns;
    }

    static Deployment deployment(String ns, String name) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> cluster.deployment(ns, name), d -> d != null);
    }

    /** The container's environment as the kubelet would give it: Secret references resolved. */
    static Map<String, String> resolve(String ns, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            String value = Optional.ofNullable(variable.getValueFrom()).map(from -> secretValue(ns, from.getSecretKeyRef()))
                    .orElse(variable.getValue());
            env.put(variable.getName(), value);
        }
        return env;
    }

    static String secretValue(String ns, SecretKeySelector ref) {
        Secret secret = cluster.get(Secret.class, ns, ref.getName());
        return new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
    }
}
