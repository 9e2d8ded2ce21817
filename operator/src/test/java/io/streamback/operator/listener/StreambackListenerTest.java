package io.streamback.operator.listener;

import static io.streamback.operator.testing.TestResources.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.operator.StreambackOperator;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.AutoRestart;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.dependent.ListenerDeploymentDependent;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.Kubectl;
import io.streamback.operator.testing.StatusWrites;
import io.streamback.operator.testing.TestResources;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The listener reconciler, running under the operator SDK against a real API server. */
class StreambackListenerTest {

    static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = Cluster.withOperator();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    /** A namespace with the streams Secret in it. */
    static String namespace(String prefix) {
        String ns = cluster.namespace(prefix);
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
        return ns;
    }

    static Deployment deploymentWhen(String ns, String name, Predicate<Deployment> condition) {
        return eventually().until(() -> cluster.deployment(ns, name), d -> d != null && condition.test(d));
    }

    static StreambackListener listenerWhen(String ns, String name, Predicate<StreambackListener> condition) {
        return eventually().until(() -> cluster.get(StreambackListener.class, ns, name),
                l -> l != null && l.getStatus() != null && condition.test(l));
    }

    static StreambackListener edit(String ns, String name, Consumer<StreambackListener> change) {
        return cluster.edit(StreambackListener.class, ns, name, change);
    }

    static Container worker(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Map<String, EnvVar> env(Deployment deployment) {
        return worker(deployment).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    static String envValue(Deployment deployment, String name) {
        EnvVar var = env(deployment).get(name);
        return var == null ? null : var.getValue();
    }

    static StatusCondition condition(StreambackListener listener, String type) {
        return Conditions.get(listener.getStatus(), type).orElseThrow();
    }

    @Test
    void createsAnOwnedDeploymentConfiguredThroughTheWorkerContract() {
        String ns = namespace("create");
        StreambackListener resource = listener(ns, "billing", "invoices", "refunds");
        resource.getSpec().setGroup("billing-app");
        resource.getSpec().setConcurrency(3);
        resource.getSpec().setMemory("512Mi");
        resource.getSpec().setServiceAccountName("billing");
        cluster.create(new ServiceAccountBuilder().withNewMetadata().withName("billing").withNamespace(ns).endMetadata()
                .build());
        resource.getSpec().setNodeSelector(Map.of("pool", "workers"));
        resource.getSpec().setPodAnnotations(Map.of("team", "payments"));
        resource.getSpec().setEnv(List.of(new EnvVarBuilder().withName("STREAMBACK_APP")
                .withValue("com.example.BillingApp").build()));
        StreambackListener created = cluster.create(resource);

        Deployment deployment = deploymentWhen(ns, "billing", d -> true);

        // Owned by the listener: Kubernetes' garbage collector deletes it with the listener.
        assertThat(deployment.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getApiVersion()).isEqualTo("streamback.io/v1alpha1");
            assertThat(owner.getKind()).isEqualTo("StreambackListener");
            assertThat(owner.getName()).isEqualTo("billing");
            assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
        });
        assertThat(deployment.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "streamback-worker")
                .containsEntry("app.kubernetes.io/instance", "billing")
                .containsEntry("app.kubernetes.io/component", "listener")
                .containsEntry("app.kubernetes.io/part-of", "streamback")
                .containsEntry("app.kubernetes.io/managed-by", "streamback-operator");

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8080")
                .containsEntry("prometheus.io/path", "/metrics")
                .containsEntry("team", "payments");
        assertThat(pod.getServiceAccountName()).isEqualTo("billing");
        assertThat(pod.getNodeSelector()).containsEntry("pool", "workers");
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(30);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        Container worker = worker(deployment);
        assertThat(worker.getImage()).isEqualTo(Cluster.WORKER_IMAGE);
        assertThat(worker.getArgs()).containsExactly("run");
        assertThat(worker.getCommand()).isNullOrEmpty();
        assertThat(envValue(deployment, "STREAMBACK_NAME")).isEqualTo("billing-app");
        assertThat(envValue(deployment, "STREAMBACK_TOPICS")).isEqualTo("invoices,refunds");
        assertThat(envValue(deployment, "STREAMBACK_HTTP_PORT")).isEqualTo("8080");
        assertThat(envValue(deployment, "STREAMBACK_SHUTDOWN_TIMEOUT_SECONDS")).isEqualTo("30");
        assertThat(envValue(deployment, "STREAMBACK_APP")).isEqualTo("com.example.BillingApp");
        assertThat(env(deployment)).doesNotContainKeys("STREAMBACK_MAX_MEMORY_MB", "STREAMBACK_MAX_SECONDS");
        EnvVar streams = env(deployment).get("STREAMBACK_STREAMS");
        assertThat(streams.getValue()).isNull();
        assertThat(streams.getValueFrom().getSecretKeyRef().getName()).isEqualTo(TestResources.SECRET);
        assertThat(streams.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("streams");
        assertThat(Serialization.asJson(deployment)).as("the streams URL never enters the Deployment")
                .doesNotContain("kafka://");

        assertThat(worker.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertThat(worker.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(worker.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(worker.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(worker.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(worker.getReadinessProbe().getInitialDelaySeconds()).as("none: the startup probe gates it").isNull();
        assertThat(worker.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(worker.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(worker.getStartupProbe().getPeriodSeconds()).isEqualTo(1);
        assertThat(worker.getStartupProbe().getPeriodSeconds() * worker.getStartupProbe().getFailureThreshold())
                .as("seconds to become ready").isEqualTo(300);
        assertThat(worker.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(worker.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(worker.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(worker.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(worker.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(worker.getResources().getRequests()).containsEntry("memory", new Quantity("512Mi"));
        assertThat(worker.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));

        // Status before the pods are up, then after.
        StreambackListener rollingOut = listenerWhen(ns, "billing", l -> l.getStatus().getObservedGeneration() != null);
        assertThat(rollingOut.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(rollingOut.getStatus().getSelector()).isEqualTo(
                "app.kubernetes.io/name=streamback-worker,app.kubernetes.io/instance=billing,"
                        + "app.kubernetes.io/component=listener");
        assertThat(condition(rollingOut, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(rollingOut, "Ready").getReason()).isIn("RollingOut", "PodsNotReady");
        assertThat(condition(rollingOut, "Degraded").getStatus()).isEqualTo("False");

        cluster.reportPods(ns, "billing", 2);
        StreambackListener partly = listenerWhen(ns, "billing",
                l -> Integer.valueOf(2).equals(l.getStatus().getReadyReplicas()));
        assertThat(condition(partly, "Ready").getReason()).isEqualTo("PodsNotReady");
        assertThat(condition(partly, "Ready").getMessage()).isEqualTo("2/3 pods ready");

        cluster.reportReady(ns, "billing");
        StreambackListener ready = listenerWhen(ns, "billing", l -> Conditions.isTrue(l.getStatus(), "Ready"));
        assertThat(ready.getStatus().getReplicas()).isEqualTo(3);
        assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(condition(ready, "Ready").getReason()).isEqualTo("PodsReady");
        assertThat(condition(ready, "Ready").getObservedGeneration()).isEqualTo(1L);
        assertThat(condition(ready, "Ready").getLastTransitionTime()).isNotBlank();
        assertThat(condition(ready, "Degraded").getReason()).isEqualTo("AsExpected");
    }

    /** Plays the kubelet: writes {@code status} on the listener's only pod, through the status subresource. */
    static void kubeletReports(String ns, String listener, PodStatus status) {
        List<Pod> pods = eventually().until(() -> cluster.pods(ns, listener), list -> list.size() == 1);
        cluster.client().pods().inNamespace(ns).withName(pods.get(0).getMetadata().getName())
                .editStatus(pod -> {
                    pod.setStatus(status);
                    return pod;
                });
    }

    static StreambackListener readyBecause(String ns, String name, String reason) {
        return listenerWhen(ns, name, l -> reason.equals(condition(l, "Ready").getReason()));
    }

    static Event eventFor(String ns, String name, String reason) {
        return eventually().until(() -> cluster.events(ns, name), events -> events.stream()
                .anyMatch(e -> reason.equals(e.getReason()))).stream()
                .filter(e -> reason.equals(e.getReason())).findFirst().orElseThrow();
    }

    @Test
    void podsThatCannotRunAreExplainedInTheStatusByTheImageOrTheWorkersReason() {
        String ns = namespace("pod-status");
        StreambackListener listener = listener(ns, "orders", "orders");
        listener.getSpec().setConcurrency(1);
        listener.getSpec().setImage("example/orders:nope");
        cluster.create(listener);
        assertThat(worker(deploymentWhen(ns, "orders", d -> true)).getTerminationMessagePolicy())
                .isEqualTo("FallbackToLogsOnError");
        String now = Instant.now().toString();
        PodCondition notReady = new PodConditionBuilder().withType("Ready").withStatus("False")
                .withReason("ContainersNotReady").withLastTransitionTime(now).build();

        // The image is not there: the kubelet waits with ErrImageNeverPull (pull policy Never).
        kubeletReports(ns, "orders", new PodStatusBuilder().withPhase("Pending").withConditions(notReady)
                .addNewContainerStatus().withName("worker").withImage("example/orders:nope").withImageID("")
                .withReady(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason("ErrImageNeverPull")
                .withMessage("Container image \"example/orders:nope\" is not present with pull policy of Never")
                .endWaiting().endState()
                .endContainerStatus().build());
        StreambackListener badImage = readyBecause(ns, "orders", "ImagePullFailed");
        StatusCondition ready = condition(badImage, "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).startsWith("0/1 pods ready; pod orders-")
                .endsWith(": image \"example/orders:nope\" cannot be pulled (ErrImageNeverPull: Container image"
                        + " \"example/orders:nope\" is not present with pull policy of Never)");
        assertThat(condition(badImage, "Degraded").getStatus()).isEqualTo("True");
        assertThat(condition(badImage, "Degraded").getReason()).isEqualTo("ImagePullFailed");
        Event pullFailed = eventFor(ns, "orders", "ImagePullFailed");
        assertThat(pullFailed.getType()).isEqualTo("Warning");
        assertThat(pullFailed.getMessage()).isEqualTo(ready.getMessage());

        // The worker starts but cannot reach its streams: it exits 1 with its reason, and the kubelet backs off.
        kubeletReports(ns, "orders", new PodStatusBuilder().withPhase("Running").withConditions(notReady)
                .addNewContainerStatus().withName("worker").withImage("example/orders:1").withImageID("")
                .withReady(false).withRestartCount(2)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 20s restarting failed container=worker").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                .withMessage("Cannot start: Kafka kafka:9092 is unreachable").withStartedAt(now).withFinishedAt(now)
                .endTerminated().endLastState()
                .endContainerStatus().build());
        StreambackListener failing = readyBecause(ns, "orders", "PodsFailing");
        assertThat(condition(failing, "Ready").getMessage()).startsWith("0/1 pods ready; pod orders-")
                .endsWith(": container \"worker\" exited with code 1: Cannot start: Kafka kafka:9092 is unreachable");
        assertThat(condition(failing, "Degraded").getReason()).isEqualTo("PodsFailing");
        assertThat(eventFor(ns, "orders", "PodsFailing").getMessage()).isEqualTo(condition(failing, "Ready").getMessage());

        // Fixed: the worker runs and is ready; the status says so, and a Normal Event tells the recovery.
        kubeletReports(ns, "orders", new PodStatusBuilder().withPhase("Running")
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
                        .withLastTransitionTime(now).build())
                .addNewContainerStatus().withName("worker").withImage("example/orders:1").withImageID("")
                .withReady(true).withRestartCount(3)
                .withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                .endContainerStatus().build());
        StreambackListener recovered = readyBecause(ns, "orders", "PodsReady");
        assertThat(condition(recovered, "Degraded").getReason()).isEqualTo("AsExpected");
        assertThat(eventFor(ns, "orders", "Reconciled").getType()).isEqualTo("Normal");
    }

    @Test
    void anInlineStreamsUrlIsPassedAsAPlainValue() {
        String ns = cluster.namespace("inline");
        StreambackListener resource = listener(ns, "inline", "orders");
        resource.getSpec().setStreamsSecretRef(null);
        resource.getSpec().setStreams(TestResources.STREAMS_URL);
        cluster.create(resource);

        Deployment deployment = deploymentWhen(ns, "inline", d -> true);
        assertThat(envValue(deployment, "STREAMBACK_STREAMS")).isEqualTo(TestResources.STREAMS_URL);
        assertThat(envValue(deployment, "STREAMBACK_NAME")).as("group defaults to the resource name")
                .isEqualTo("inline");
    }

    @Test
    void aSpecChangeRollsOutAndARemovedSettingDisappears() {
        String ns = namespace("change");
        cluster.create(listener(ns, "orders", "orders"));
        deploymentWhen(ns, "orders", d -> true);

        edit(ns, "orders", l -> {
            l.getSpec().setTopics(List.of("orders", "returns"));
            l.getSpec().setImage("example/orders-listeners:2.0");
            l.getSpec().setAutoRestart(new AutoRestart(null, 1024));
        });
        Deployment changed = deploymentWhen(ns, "orders",
                d -> "orders,returns".equals(envValue(d, "STREAMBACK_TOPICS")));
        assertThat(worker(changed).getImage()).isEqualTo("example/orders-listeners:2.0");
        assertThat(worker(changed).getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
        assertThat(envValue(changed, "STREAMBACK_MAX_MEMORY_MB")).as("the worker recycles below the kernel's limit")
                .isEqualTo("921");
        listenerWhen(ns, "orders", l -> Long.valueOf(2).equals(l.getStatus().getObservedGeneration()));

        // Removing a setting removes what it put into the Deployment.
        edit(ns, "orders", l -> l.getSpec().setAutoRestart(null));
        Deployment reverted = deploymentWhen(ns, "orders", d -> !env(d).containsKey("STREAMBACK_MAX_MEMORY_MB"));
        assertThat(worker(reverted).getResources()).satisfiesAnyOf(
                r -> assertThat(r).isNull(),
                r -> assertThat(r.getLimits()).isNullOrEmpty());
    }

    @Test
    void scalingTheListenerScalesTheDeployment() {
        String ns = namespace("scale");
        cluster.create(listener(ns, "scaled", "orders"));
        deploymentWhen(ns, "scaled", d -> d.getSpec().getReplicas() == 1);

        // What the scale subresource (kubectl scale, a HorizontalPodAutoscaler) writes: spec.concurrency.
        cluster.awaitStatusOfCurrentGeneration(StreambackListener.class, ns, "scaled");
        cluster.client().resources(StreambackListener.class).inNamespace(ns).withName("scaled")
                .patch(MERGE, "{\"spec\":{\"concurrency\":5}}");
        deploymentWhen(ns, "scaled", d -> d.getSpec().getReplicas() == 5);
        cluster.reportReady(ns, "scaled");
        StreambackListener scaled = listenerWhen(ns, "scaled", l -> Integer.valueOf(5).equals(l.getStatus().getReplicas())
                && Conditions.isTrue(l.getStatus(), "Ready"));
        Deployment deployment = cluster.deployment(ns, "scaled");
        Map<String, String> selector = Arrays.stream(scaled.getStatus().getSelector().split(","))
                .map(pair -> pair.split("="))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);

        cluster.awaitStatusOfCurrentGeneration(StreambackListener.class, ns, "scaled");
        cluster.client().resources(StreambackListener.class).inNamespace(ns).withName("scaled")
                .patch(MERGE, "{\"spec\":{\"concurrency\":0}}");
        deploymentWhen(ns, "scaled", d -> d.getSpec().getReplicas() == 0);
        StreambackListener zero = listenerWhen(ns, "scaled",
                l -> "ScaledToZero".equals(condition(l, "Ready").getReason()));
        assertThat(condition(zero, "Ready").getStatus()).isEqualTo("True");
    }

    @Test
    void handEditsOfTheDeploymentAreReverted() {
        String ns = namespace("drift");
        cluster.create(listener(ns, "drifty", "orders"));
        Deployment original = deploymentWhen(ns, "drifty", d -> true);

        cluster.editObject(Deployment.class, ns, "drifty", d -> {
            d.getSpec().setReplicas(9);
            Container container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            container.setImage("example/someone-elses:latest");
            container.getEnv().removeIf(e -> e.getName().equals("STREAMBACK_TOPICS"));
        });

        Deployment reverted = deploymentWhen(ns, "drifty", d -> d.getSpec().getReplicas() == 1
                && Cluster.WORKER_IMAGE.equals(worker(d).getImage())
                && "orders".equals(envValue(d, "STREAMBACK_TOPICS")));
        assertThat(worker(reverted).getEnv()).isEqualTo(worker(original).getEnv());
    }

    @Test
    void autoRestartRollsThePodsEveryMaxSeconds() {
        String ns = namespace("restart");
        StreambackListener resource = listener(ns, "recycled", "orders");
        resource.getSpec().setAutoRestart(new AutoRestart(3600L, null));
        cluster.create(resource);

        Deployment first = deploymentWhen(ns, "recycled", d -> d.getSpec().getTemplate().getMetadata()
                .getAnnotations().containsKey(ListenerDeploymentDependent.RESTARTED_AT));
        String firstRestart = first.getSpec().getTemplate().getMetadata().getAnnotations()
                .get(ListenerDeploymentDependent.RESTARTED_AT);
        assertThat(envValue(first, "STREAMBACK_MAX_SECONDS")).isEqualTo("3600");
        assertThat(first.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                .as("pods are replaced a few at a time, never all at once").isZero();
        StreambackListener stamped = listenerWhen(ns, "recycled", l -> l.getStatus().getLastRestartTime() != null);
        assertThat(stamped.getStatus().getLastRestartTime()).isEqualTo(firstRestart);

        // An hour later (on the operator's clock), the next reconciliation rolls the pods.
        cluster.clock.advance(Duration.ofSeconds(3601));
        cluster.reportReady(ns, "recycled");
        Deployment rolled = deploymentWhen(ns, "recycled", d -> !firstRestart.equals(d.getSpec().getTemplate()
                .getMetadata().getAnnotations().get(ListenerDeploymentDependent.RESTARTED_AT)));
        String secondRestart = rolled.getSpec().getTemplate().getMetadata().getAnnotations()
                .get(ListenerDeploymentDependent.RESTARTED_AT);
        assertThat(Instant.parse(secondRestart))
                .isEqualTo(Instant.parse(firstRestart).plusSeconds(3601));
        listenerWhen(ns, "recycled", l -> secondRestart.equals(l.getStatus().getLastRestartTime()));
    }

    @Test
    void afterTheListenerIsDeletedTheOperatorLeavesItsDeploymentToTheGarbageCollector() {
        String ns = namespace("delete");
        cluster.create(listener(ns, "gone", "orders"));
        Deployment deployment = deploymentWhen(ns, "gone", d -> true);
        OwnerReference owner = deployment.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getUid()).isEqualTo(cluster.get(StreambackListener.class, ns, "gone").getMetadata().getUid());

        cluster.client().resources(StreambackListener.class).inNamespace(ns).withName("gone").delete();
        // Kubernetes' garbage collector deletes the Deployment, and its ReplicaSet; nothing brings them back.
        eventually().until(() -> cluster.deployment(ns, "gone") == null);
        eventually().until(() -> cluster.client().apps().replicaSets().inNamespace(ns).list().getItems().isEmpty());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> cluster.deployment(ns, "gone") == null);
    }

    @Test
    void aDeploymentTheOperatorCannotCreateIsReportedAndRetriedWithBackoff() {
        String ns = namespace("conflict");
        // Someone else's Deployment already has the listener's name.
        cluster.createSomeoneElsesDeployment(ns, "taken");
        cluster.create(listener(ns, "taken", "orders"));

        // (A first attempt may not have seen the other Deployment yet: its create is refused with a conflict.)
        StreambackListener failing = listenerWhen(ns, "taken",
                l -> Conditions.get(l.getStatus(), "Ready").map(c -> "ReconcileError".equals(c.getReason())
                        && c.getMessage().contains("already exists")).orElse(false));
        assertThat(condition(failing, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(failing, "Ready").getMessage())
                .contains("Deployment \"taken\" already exists", "not controlled by StreambackListener \"taken\"");
        assertThat(worker(cluster.deployment(ns, "taken")).getImage()).as("someone else's Deployment is left alone")
                .isEqualTo(Cluster.SOMEONE_ELSES_IMAGE);
        assertThat(condition(failing, "Degraded").getStatus()).isEqualTo("True");
        eventually().until(() -> cluster.events(ns, "taken"),
                events -> events.stream().anyMatch(e -> "ReconcileError".equals(e.getReason())
                        && "Warning".equals(e.getType())));

        // Once the name is free, a retry creates the Deployment.
        cluster.client().apps().deployments().inNamespace(ns).withName("taken").delete();
        Deployment ours = deploymentWhen(ns, "taken", d -> d.getMetadata().getOwnerReferences() != null
                && !d.getMetadata().getOwnerReferences().isEmpty());
        assertThat(ours.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "streamback-operator");
        listenerWhen(ns, "taken", l -> !"ReconcileError".equals(condition(l, "Ready").getReason()));
        eventually().until(() -> cluster.events(ns, "taken"),
                events -> events.stream().anyMatch(e -> "Reconciled".equals(e.getReason())));
    }

    @Test
    void aFreshListenerGetsItsStatusAtOnce() {
        String ns = namespace("fresh");
        cluster.create(listener(ns, "fresh", "orders"));
        // The first status write of a resource the API server stores without one.
        StreambackListener fresh = cluster.awaitStatusOfCurrentGeneration(StreambackListener.class, ns, "fresh");
        assertThat(fresh.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(Conditions.get(fresh.getStatus(), "Ready")).isPresent();
        assertThat(fresh.getMetadata().getManagedFields())
                .anySatisfy(f -> {
                    assertThat(f.getManager()).isEqualTo(StreambackOperator.FIELD_MANAGER);
                    assertThat(f.getOperation()).isEqualTo("Apply");
                    assertThat(f.getSubresource()).isEqualTo("status");
                });
    }

    @Test
    void theScaleSubresourceWorksWithConcurrencyUnset() throws Exception {
        String ns = namespace("scale-unset");
        cluster.create(listener(ns, "unset", "orders"));
        deploymentWhen(ns, "unset", d -> d.getSpec().getReplicas() == 1);
        cluster.reportReady(ns, "unset");
        listenerWhen(ns, "unset", l -> Integer.valueOf(1).equals(l.getStatus().getReadyReplicas()));

        // GET .../scale reads spec.concurrency, which the schema defaults.
        Scale scale = cluster.client().resources(StreambackListener.class).inNamespace(ns).withName("unset").scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(1);
        assertThat(scale.getStatus().getReplicas()).isEqualTo(1);
        assertThat(scale.getStatus().getSelector()).contains("app.kubernetes.io/instance=unset");

        // kubectl scale writes the scale subresource.
        Kubectl.run(cluster, "scale", "-n", ns, "streambacklistener/unset", "--replicas=3");
        deploymentWhen(ns, "unset", d -> d.getSpec().getReplicas() == 3);
        assertThat(cluster.get(StreambackListener.class, ns, "unset").getSpec().getConcurrency()).isEqualTo(3);

        // A HorizontalPodAutoscaler targeting the listener is accepted and finds its scale target.
        cluster.create(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName("unset").withNamespace(ns).endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("streamback.io/v1alpha1").withKind("StreambackListener")
                .withName("unset").endScaleTargetRef()
                .withMinReplicas(1).withMaxReplicas(4)
                .addNewMetric().withType("Resource").withNewResource().withName("cpu")
                .withNewTarget().withType("Utilization").withAverageUtilization(80).endTarget()
                .endResource().endMetric()
                .endSpec()
                .build());
        // (The controller manager maps the listener's kind once its discovery has seen the CRD, within a minute.)
        HorizontalPodAutoscaler hpa = eventually().atMost(Duration.ofSeconds(90)).until(
                () -> cluster.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("unset").get(),
                h -> h.getStatus() != null && h.getStatus().getConditions() != null && h.getStatus().getConditions().stream()
                        .anyMatch(c -> "AbleToScale".equals(c.getType()) && "True".equals(c.getStatus())));
        assertThat(hpa.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("AbleToScale");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("SucceededGetScale");
        });
        assertThat(hpa.getStatus().getCurrentReplicas()).isEqualTo(3);
    }

    @Test
    void removingTheManagedByLabelDoesNotHideTheDeployment() {
        String ns = namespace("unlabelled");
        cluster.create(listener(ns, "unlabelled", "orders"));
        deploymentWhen(ns, "unlabelled", d -> true);
        cluster.awaitStatusOfCurrentGeneration(StreambackListener.class, ns, "unlabelled");

        cluster.client().apps().deployments().inNamespace(ns).withName("unlabelled")
                .patch(MERGE, "{\"metadata\":{\"labels\":{\"app.kubernetes.io/managed-by\":null}}}");
        // The operator still sees its Deployment (by its owner reference) and applies the label back.
        Deployment relabelled = deploymentWhen(ns, "unlabelled", d -> d.getMetadata().getLabels()
                .containsKey("app.kubernetes.io/managed-by"));
        assertThat(relabelled.getMetadata().getOwnerReferences()).hasSize(1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> cluster.get(StreambackListener.class, ns, "unlabelled"),
                        l -> !"ReconcileError".equals(condition(l, "Ready").getReason()));
        assertThat(cluster.events(ns, "unlabelled")).noneMatch(e -> "Warning".equals(e.getType()));
    }

    @Test
    void aFieldAnotherManagerAddedStaysAndAHandEditOfAnOwnedFieldIsReverted() {
        String ns = namespace("managers");
        cluster.create(listener(ns, "shared", "orders"));
        deploymentWhen(ns, "shared", d -> true);

        // What a mutating webhook or another controller does: its own field manager adds an env var.
        String injected = """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"shared","namespace":"%s"},
                 "spec":{"template":{"spec":{"containers":[{"name":"worker",
                   "env":[{"name":"INJECTED_BY_WEBHOOK","value":"yes"}]}]}}}}""".formatted(ns);
        cluster.client().apps().deployments().inNamespace(ns).withName("shared")
                .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("sidecar-injector")
                        .withForce(true).build(), injected);
        // A hand edit of a field the operator owns, with kubectl edit's field manager.
        cluster.client().apps().deployments().inNamespace(ns).withName("shared")
                .patch(MERGE, "{\"spec\":{\"replicas\":7}}");
        // Any reconciliation (here: a spec change) applies the operator's fields again.
        edit(ns, "shared", l -> l.getSpec().setTopics(List.of("orders", "returns")));

        Deployment after = deploymentWhen(ns, "shared", d -> "orders,returns".equals(envValue(d, "STREAMBACK_TOPICS")));
        assertThat(after.getSpec().getReplicas()).as("the operator's field is put back").isEqualTo(1);
        assertThat(envValue(after, "INJECTED_BY_WEBHOOK")).as("another manager's field stays").isEqualTo("yes");
    }

    @Test
    void retriesOfAFailingStatusWriteNeverRestampTheRestart() {
        String ns = cluster.namespace("storm", Map.of("streamback.io/deny-status", "true"));
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
        // The API server refuses every status write of listeners in this namespace.
        StatusWrites.denyIn(cluster, ns);
        StreambackListener resource = listener(ns, "storm", "orders");
        resource.getSpec().setAutoRestart(new AutoRestart(3600L, null));
        cluster.create(resource);

        // Several failed attempts, retried with backoff, each one recorded on one aggregated Event.
        // The operator's clock moves on between attempts, as a real one would.
        Event failures = eventually().atMost(Duration.ofSeconds(45)).until(() -> {
            cluster.clock.advance(Duration.ofSeconds(1));
            return cluster.events(ns, "storm").stream().filter(e -> "ReconcileError".equals(e.getReason())).findFirst();
        }, e -> e.isPresent() && e.get().getCount() >= 3).orElseThrow();
        assertThat(cluster.events(ns, "storm")).filteredOn(e -> "ReconcileError".equals(e.getReason())).hasSize(1);
        assertThat(failures.getMessage()).contains("status");

        // One stamp, one ReplicaSet: no restart storm.
        Deployment deployment = cluster.deployment(ns, "storm");
        assertThat(deployment.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(cluster.client().apps().replicaSets().inNamespace(ns).list().getItems()).hasSize(1);
    }
}
