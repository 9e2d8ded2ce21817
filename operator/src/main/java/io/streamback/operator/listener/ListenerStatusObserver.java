package io.streamback.operator.listener;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.common.DeploymentHealth;
import io.streamback.operator.common.PodHealth;
import io.streamback.operator.common.StatusReporter;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerStatus;
import io.streamback.operator.dependent.ListenerDeploymentDependent;
import io.streamback.operator.dependent.WorkerLabels;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** Writes what the listener's Deployment and its pods report into the listener's status. */
final class ListenerStatusObserver {

    private ListenerStatusObserver() {
    }

    /** replicas, readyReplicas and selector: also kept up to date while the spec is rejected. */
    static DeploymentHealth observeReplicas(StreambackListener listener, Deployment deployment) {
        StreambackListenerStatus status = listener.getStatus();
        DeploymentHealth health = DeploymentHealth.of(deployment);
        status.setReplicas(health.replicas());
        status.setReadyReplicas(health.readyReplicas());
        status.setSelector(WorkerLabels.selectorString(listener.getMetadata().getName(), WorkerLabels.LISTENER));
        return health;
    }

    /**
     * Replicas and the Ready and Degraded conditions, after the Deployment was reconciled. Pods that
     * are not ready are explained from what the kubelet reports on them ({@link PodHealth}): an
     * image that cannot be pulled, a worker that exits with its reason, pods no node takes.
     */
    static void observe(StreambackListener listener, Deployment deployment, Collection<Pod> pods, Instant now) {
        StreambackListenerStatus status = listener.getStatus();
        Long generation = listener.getMetadata().getGeneration();
        DeploymentHealth health = observeReplicas(listener, deployment);
        int desired = ListenerDeploymentDependent.replicas(listener);
        String ready = health.readyReplicas() + "/" + desired + " pods ready";
        Optional<PodHealth.Problem> problem = PodHealth.problem(pods);

        if (desired == 0) {
            String why = listener.getSpec().getAutoscaling() == null ? "spec.concurrency is 0"
                    : "autoscaled to 0 (lag " + status.getLag() + ")";
            Conditions.set(status, Conditions.READY, true, "ScaledToZero", why + ": no pods run", generation, now);
        } else if (health.allReady(desired)) {
            Conditions.set(status, Conditions.READY, true, "PodsReady", ready, generation, now);
        } else if (problem.isPresent()) {
            Conditions.set(status, Conditions.READY, false, problem.get().reason(),
                    StatusReporter.truncate(ready + "; " + problem.get().message()), generation, now);
        } else if (!health.observed() || health.updatedReplicas() < desired) {
            Conditions.set(status, Conditions.READY, false, "RollingOut",
                    ready + ", " + health.updatedReplicas() + "/" + desired + " updated", generation, now);
        } else {
            Conditions.set(status, Conditions.READY, false, "PodsNotReady", ready + notReadyYet(pods), generation, now);
        }

        // Degraded also while enough pods are ready: a rollout stuck on a bad image, one pod crashing.
        if (problem.isPresent()) {
            Conditions.set(status, Conditions.DEGRADED, true, problem.get().reason(),
                    StatusReporter.truncate(problem.get().message()), generation, now);
        } else if (health.failure().isPresent()) {
            DeploymentCondition failure = health.failure().get();
            Conditions.set(status, Conditions.DEGRADED, true, failure.getReason(),
                    "Deployment " + failure.getType() + ": " + failure.getMessage(), generation, now);
        } else {
            Conditions.set(status, Conditions.DEGRADED, false, Conditions.AS_EXPECTED, "", generation, now);
        }
    }

    /** How many pods run but are not ready: their worker does not have its partitions yet (/readyz). */
    private static String notReadyYet(Collection<Pod> pods) {
        long running = pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null)
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .filter(p -> p.getStatus().getConditions() == null || p.getStatus().getConditions().stream()
                        .noneMatch(c -> "Ready".equals(c.getType()) && Conditions.TRUE.equals(c.getStatus())))
                .count();
        return running == 0 ? "" : ", " + running + " running but not ready (/readyz)";
    }
}
