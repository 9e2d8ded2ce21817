package io.streamback.operator.dependent;

import static io.streamback.operator.testing.TestResources.listener;
import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every pod the operator makes (a listener's Deployment, a schedule's CronJob, a scheduler
 * Deployment) runs locked down: non-root as the worker image's user, read-only root filesystem
 * with a writable emptyDir on /tmp, no privilege escalation, no capabilities, seccomp
 * RuntimeDefault, nothing of the host; and the streams URL only through a secretKeyRef. A
 * namespace enforcing the Pod Security Standard {@code restricted} admits every one of them: the
 * real controllers create the pods, and the API server's PodSecurity admission checks each.
 */
class PodSecurityTest {

    @Test
    void everyWorkerPodIsLockedDown() {
        try (Cluster cluster = Cluster.withOperator()) {
            String ns = cluster.namespace("security", Map.of(
                    "pod-security.kubernetes.io/enforce", "restricted",
                    "pod-security.kubernetes.io/enforce-version", "latest"));
            cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
            cluster.create(new ServiceAccountBuilder().withNewMetadata().withName("orders").withNamespace(ns)
                    .endMetadata().build());
            StreambackListener listener = listener(ns, "worker", "orders");
            listener.getSpec().setServiceAccountName("orders");
            listener.getSpec().setMemory("256Mi");
            cluster.create(listener);
            cluster.create(schedule(ns, "nightly", "0 3 * * *", "reports"));
            cluster.create(schedule(ns, "ticker", "*/10 * * * * *", "ticks"));

            Deployment listenerDeployment = await().atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.deployment(ns, "worker"), d -> d != null);
            CronJob cronJob = await().atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.get(CronJob.class, ns, "nightly"), c -> c != null);
            Deployment scheduler = await().atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.deployment(ns, "ticker" + SchedulerDeploymentDependent.SUFFIX), d -> d != null);

            assertLockedDown("listener Deployment", listenerDeployment.getSpec().getTemplate().getSpec());
            assertLockedDown("schedule CronJob", cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
            assertLockedDown("scheduler Deployment", scheduler.getSpec().getTemplate().getSpec());

            // The restricted namespace admits their pods: a Job of the CronJob's, as kubectl create job --from would make.
            cluster.create(new JobBuilder()
                    .withNewMetadata().withName("nightly-now").withNamespace(ns).endMetadata()
                    .withSpec(cronJob.getSpec().getJobTemplate().getSpec())
                    .build());
            for (String owner : List.of("worker", "ticker" + SchedulerDeploymentDependent.SUFFIX, "nightly-now")) {
                await("a pod of " + owner + " admitted").atMost(Duration.ofSeconds(30))
                        .until(() -> cluster.client().pods().inNamespace(ns).list().getItems().stream()
                                .anyMatch(pod -> pod.getMetadata().getName().startsWith(owner + "-")));
            }
            assertThat(cluster.client().v1().events().inNamespace(ns).list().getItems())
                    .as("no pod creation refused")
                    .noneMatch(e -> "FailedCreate".equals(e.getReason()));
        }
    }

    static void assertLockedDown(String what, PodSpec pod) {
        assertThat(pod.getSecurityContext()).as(what).satisfies(security -> {
            assertThat(security.getRunAsNonRoot()).as(what + " runAsNonRoot").isTrue();
            assertThat(security.getRunAsUser()).as(what + " runAsUser").isEqualTo(WorkerPods.RUN_AS_USER);
            assertThat(security.getRunAsGroup()).as(what + " runAsGroup").isEqualTo(WorkerPods.RUN_AS_USER);
            assertThat(security.getSeccompProfile().getType()).as(what + " seccomp").isEqualTo("RuntimeDefault");
            assertThat(security.getSysctls()).as(what + " sysctls").isNullOrEmpty();
        });
        assertThat(pod.getHostNetwork()).as(what + " hostNetwork").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).as(what + " hostPID").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).as(what + " hostIPC").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getVolumes()).as(what + " volumes: only the emptyDir on /tmp")
                .singleElement().satisfies(volume -> {
                    assertThat(volume.getName()).isEqualTo("tmp");
                    assertThat(volume.getEmptyDir()).isNotNull();
                    assertThat(volume.getHostPath()).isNull();
                });
        Volume tmp = pod.getVolumes().get(0);

        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        assertThat(containers).as(what + " containers").isNotEmpty();
        for (Container container : containers) {
            String who = what + " container " + container.getName();
            SecurityContext security = container.getSecurityContext();
            assertThat(security).as(who).isNotNull();
            assertThat(security.getRunAsNonRoot()).as(who + " runAsNonRoot").isTrue();
            assertThat(security.getRunAsUser()).as(who + " runAsUser: the pod's").isNull();
            assertThat(security.getReadOnlyRootFilesystem()).as(who + " readOnlyRootFilesystem").isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).as(who + " allowPrivilegeEscalation").isFalse();
            assertThat(security.getPrivileged()).as(who + " privileged").isNotEqualTo(Boolean.TRUE);
            assertThat(security.getCapabilities().getDrop()).as(who + " capabilities dropped").containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).as(who + " capabilities added").isNullOrEmpty();
            assertThat(security.getSeccompProfile().getType()).as(who + " seccomp").isEqualTo("RuntimeDefault");
            assertThat(container.getVolumeMounts()).as(who + " mounts").singleElement().satisfies(mount -> {
                assertThat(mount.getName()).isEqualTo(tmp.getName());
                assertThat(mount.getMountPath()).isEqualTo("/tmp");
                assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
            });
            EnvVar streams = container.getEnv().stream().filter(e -> e.getName().equals(WorkerEnvironment.STREAMS))
                    .findFirst().orElseThrow();
            assertThat(streams.getValue()).as(who + " STREAMBACK_STREAMS value").isNull();
            assertThat(streams.getValueFrom().getSecretKeyRef().getName()).isEqualTo(TestResources.SECRET);
            assertThat(Serialization.asJson(container)).as(who + ": the streams URL never enters the pod spec")
                    .doesNotContain("kafka://").doesNotContain("redis://");
        }
    }
}
