package io.streamback.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.Kubectl;
import io.streamback.operator.testing.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.podTemplate} on a real API server, applied with kubectl: the pod fields the operator does
 * not model reach the pods of both kinds, the operator's own fields win, removing a field from the
 * overlay removes it from the pods, and an overlay that is no pod template is reported naming it.
 */
class PodTemplateOverlayTest {

    static Cluster cluster;

    @TempDir
    Path dir;

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

    String namespace() {
        String ns = cluster.namespace("overlay");
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
        return ns;
    }

    void apply(String ns, String yaml) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "manifest", ".yaml"), yaml);
        Kubectl.run(cluster, "apply", "--namespace", ns, "-f", file.toString());
    }

    Deployment deploymentWhen(String ns, String name, Predicate<PodSpec> condition) {
        return eventually().until(() -> cluster.deployment(ns, name),
                d -> d != null && condition.test(d.getSpec().getTemplate().getSpec()));
    }

    static final String LISTENER = """
            apiVersion: streamback.io/v1alpha1
            kind: StreambackListener
            metadata:
              name: billing
            spec:
              topics: [invoices]
              streamsSecretRef: {name: streamback-streams, key: streams}
              tolerations:
                - {key: dedicated, operator: Equal, value: streams, effect: NoSchedule}
              podTemplate:
                metadata:
                  labels: {team: billing, app.kubernetes.io/instance: not-billing}
                spec:
                  hostNetwork: %s
                  dnsPolicy: ClusterFirstWithHostNet
                  tolerations:
                    - {key: overlay, operator: Exists}
                  securityContext: {fsGroup: 2000, runAsUser: 0}
                  volumes:
                    - {name: rates, configMap: {name: rates}}
                  containers:
                    - name: worker
                      image: example/not-the-worker:1
                      env: [{name: RATES_DIR, value: /etc/rates}]
                      volumeMounts: [{name: rates, mountPath: /etc/rates, readOnly: true}]
                    - name: proxy
                      image: example/proxy:2
                      args: [--listen, 127.0.0.1:9000]
            """;

    @Test
    void theOverlaysFieldsReachThePodsAndTheOperatorsFieldsWin() throws Exception {
        String ns = namespace();
        apply(ns, LISTENER.formatted("true"));

        PodTemplateSpec template = deploymentWhen(ns, "billing", spec -> Boolean.TRUE.equals(spec.getHostNetwork()))
                .getSpec().getTemplate();
        PodSpec pod = template.getSpec();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(template.getMetadata().getLabels())
                .containsEntry("team", "billing")
                .as("the operator's label wins").containsEntry("app.kubernetes.io/instance", "billing");
        assertThat(pod.getTolerations()).as("spec.tolerations wins over the overlay's list")
                .extracting(t -> t.getKey()).containsExactly("dedicated");
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(2000L);
        assertThat(pod.getSecurityContext().getRunAsUser()).as("the operator's user wins").isEqualTo(WorkerPods.RUN_AS_USER);
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp", "rates");
        assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("worker", "proxy");
        Container worker = pod.getContainers().get(0);
        assertThat(worker.getImage()).as("the operator's image wins").isEqualTo(Cluster.WORKER_IMAGE);
        assertThat(worker.getEnv()).extracting(EnvVar::getName).contains("STREAMBACK_TOPICS", "RATES_DIR");
        assertThat(worker.getVolumeMounts()).extracting(VolumeMount::getMountPath).containsExactly("/tmp", "/etc/rates");
        assertThat(worker.getReadinessProbe()).isNotNull();
        assertThat(pod.getContainers().get(1).getArgs()).containsExactly("--listen", "127.0.0.1:9000");

        apply(ns, LISTENER.formatted("false"));
        deploymentWhen(ns, "billing", spec -> !Boolean.TRUE.equals(spec.getHostNetwork()));
    }

    @Test
    void bothKindsOfSchedulePodsGetTheOverlay() throws Exception {
        String ns = namespace();
        String schedule = """
                apiVersion: streamback.io/v1alpha1
                kind: StreambackSchedule
                metadata:
                  name: %s
                spec:
                  when: "%s"
                  then: ticks
                  streamsSecretRef: {name: streamback-streams, key: streams}
                  podTemplate:
                    spec:
                      hostNetwork: true
                      priorityClassName: streams
                """;
        apply(ns, schedule.formatted("per-minute", "* * * * *"));
        apply(ns, schedule.formatted("per-second", "* * * * * *"));

        CronJob cronJob = eventually().until(() -> cluster.get(CronJob.class, ns, "per-minute"), Objects::nonNull);
        PodSpec jobPod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(jobPod.getHostNetwork()).isTrue();
        assertThat(jobPod.getPriorityClassName()).isEqualTo("streams");
        assertThat(jobPod.getRestartPolicy()).isEqualTo("Never");
        deploymentWhen(ns, "per-second-scheduler", spec -> Boolean.TRUE.equals(spec.getHostNetwork()));
    }

    @Test
    void anOverlayThatIsNoPodTemplateIsReportedNamingIt() throws Exception {
        String ns = namespace();
        apply(ns, """
                apiVersion: streamback.io/v1alpha1
                kind: StreambackListener
                metadata:
                  name: broken
                spec:
                  topics: [invoices]
                  streamsSecretRef: {name: streamback-streams, key: streams}
                  podTemplate:
                    spec:
                      containers: {name: worker}
                """);
        StreambackListener listener = eventually().until(() -> cluster.get(StreambackListener.class, ns, "broken"),
                l -> l.getStatus() != null && Conditions.get(l.getStatus(), "Ready")
                        .map(c -> "InvalidSpec".equals(c.getReason())).orElse(false));
        StatusCondition ready = Conditions.get(listener.getStatus(), "Ready").orElseThrow();
        assertThat(ready.getMessage()).contains("spec.podTemplate").contains("not a pod template");
        assertThat(cluster.deployment(ns, "broken")).isNull();
    }
}
