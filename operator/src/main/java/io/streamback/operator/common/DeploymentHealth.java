package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.List;
import java.util.Optional;

/** What a Deployment's status says about its pods, as the Deployment controller reports it. */
public record DeploymentHealth(int replicas, int readyReplicas, int updatedReplicas, boolean observed,
                               Optional<DeploymentCondition> failure) {

    public static DeploymentHealth of(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null) {
            return new DeploymentHealth(0, 0, 0, false, Optional.empty());
        }
        DeploymentStatus status = deployment.getStatus();
        Long generation = deployment.getMetadata().getGeneration();
        boolean observed = status.getObservedGeneration() != null
                && (generation == null || status.getObservedGeneration() >= generation);
        return new DeploymentHealth(
                orZero(status.getReplicas()),
                orZero(status.getReadyReplicas()),
                orZero(status.getUpdatedReplicas()),
                observed,
                failure(status.getConditions()));
    }

    /** Whether {@code desired} pods run the current pod template and are ready. */
    public boolean allReady(int desired) {
        return observed && updatedReplicas >= desired && readyReplicas >= desired;
    }

    /** A replica failure, or a rollout that stopped progressing (e.g. ProgressDeadlineExceeded). */
    private static Optional<DeploymentCondition> failure(List<DeploymentCondition> conditions) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream()
                .filter(c -> ("ReplicaFailure".equals(c.getType()) && Conditions.TRUE.equals(c.getStatus()))
                        || ("Progressing".equals(c.getType()) && Conditions.FALSE.equals(c.getStatus())))
                .findFirst();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
