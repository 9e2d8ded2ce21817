package io.streamback.operator.listener;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.common.DeploymentHealth;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerStatus;
import io.streamback.operator.dependent.ListenerDeploymentDependent;
import io.streamback.operator.dependent.WorkerLabels;
import java.time.Instant;

/** Writes what the listener's Deployment reports into the listener's status. */
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

    /** Replicas and the Ready and Degraded conditions, after the Deployment was reconciled. */
    static void observe(StreambackListener listener, Deployment deployment, Instant now) {
        StreambackListenerStatus status = listener.getStatus();
        Long generation = listener.getMetadata().getGeneration();
        DeploymentHealth health = observeReplicas(listener, deployment);
        int desired = ListenerDeploymentDependent.replicas(listener);
        String pods = health.readyReplicas() + "/" + desired + " pods ready";

        if (desired == 0) {
            String why = listener.getSpec().getAutoscaling() == null ? "spec.concurrency is 0"
                    : "autoscaled to 0 (lag " + status.getLag() + ")";
            Conditions.set(status, Conditions.READY, true, "ScaledToZero", why + ": no pods run", generation, now);
        } else if (health.allReady(desired)) {
            Conditions.set(status, Conditions.READY, true, "PodsReady", pods, generation, now);
        } else if (!health.observed() || health.updatedReplicas() < desired) {
            Conditions.set(status, Conditions.READY, false, "RollingOut",
                    pods + ", " + health.updatedReplicas() + "/" + desired + " updated", generation, now);
        } else {
            Conditions.set(status, Conditions.READY, false, "PodsNotReady", pods, generation, now);
        }

        if (health.failure().isPresent()) {
            DeploymentCondition failure = health.failure().get();
            Conditions.set(status, Conditions.DEGRADED, true, failure.getReason(),
                    "Deployment " + failure.getType() + ": " + failure.getMessage(), generation, now);
        } else {
            Conditions.set(status, Conditions.DEGRADED, false, Conditions.AS_EXPECTED, "", generation, now);
        }
    }
}
