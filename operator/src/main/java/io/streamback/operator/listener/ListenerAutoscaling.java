package io.streamback.operator.listener;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streamback.operator.autoscaling.AutoscalingPolicy;
import io.streamback.operator.autoscaling.LagAutoscaler;
import io.streamback.operator.autoscaling.LagReading;
import io.streamback.operator.autoscaling.ScaleDecision;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.common.KubernetesEvents;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerSpec;
import io.streamback.operator.crd.StreambackListenerStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's step for {@code spec.autoscaling}: read the lag, let {@link LagAutoscaler}
 * decide, and write the decision into the status ({@code desiredReplicas}, which the Deployment's
 * replicas follow, {@code lag}, and the conditions), with an Event for each change of pods.
 */
final class ListenerAutoscaling {

    /** True while the lag can be read; False (LagUnavailable) keeps the pods as they are. */
    static final String SCALING_ACTIVE = "ScalingActive";
    /** True when the lag calls for more pods than the topics have partitions. */
    static final String PARTITION_CAPPED = "PartitionCapped";
    /** True when spec.concurrency is set (kubectl scale) beside autoscaling, and ignored. */
    static final String AUTOSCALING_CONFLICT = "AutoscalingConflict";

    static final String LAG_READ = "LagRead";
    static final String LAG_UNAVAILABLE = "LagUnavailable";
    static final String MANUAL_SCALE_IGNORED = "ManualScaleIgnored";

    private static final Logger log = LoggerFactory.getLogger(ListenerAutoscaling.class);

    private final KubernetesEvents events;

    ListenerAutoscaling(Clock clock) {
        this.events = new KubernetesEvents(clock);
    }

    /**
     * Decides the listener's pods if it autoscales, or clears what autoscaling left in its status.
     *
     * @param sample the last reading of the lag ({@link LagPolling}); empty until the first one
     * @return when to decide again (the scale-down delay runs on); empty when the listener does not autoscale
     */
    Optional<Duration> apply(StreambackListener listener, Optional<Deployment> deployment,
                             Optional<LagPolling.LagSample> sample, KubernetesClient client, Instant now) {
        StreambackListenerSpec spec = listener.getSpec();
        StreambackListenerStatus status = listener.getStatus();
        if (spec.getAutoscaling() == null) {
            status.setLag(null);
            status.setDesiredReplicas(null);
            status.setScaleDownPendingSince(null);
            Conditions.remove(status, SCALING_ACTIVE);
            Conditions.remove(status, PARTITION_CAPPED);
            Conditions.remove(status, AUTOSCALING_CONFLICT);
            return Optional.empty();
        }
        AutoscalingPolicy policy = AutoscalingPolicy.of(spec.getAutoscaling());
        Long generation = listener.getMetadata().getGeneration();
        int current = current(status, deployment, policy);
        conflict(listener, client, now);

        if (sample.isEmpty()) {
            // The first reading is under way: keep the pods, say nothing yet.
            status.setDesiredReplicas(current);
            return Optional.of(policy.pollInterval());
        }
        if (sample.get().reading().isEmpty()) {
            unavailable(listener, client, current, sample.get().unavailable().orElseThrow(), now);
            return Optional.of(policy.pollInterval());
        }
        String group = sample.get().group();
        LagReading reading = sample.get().reading().get();

        Optional<Instant> pendingSince = Optional.ofNullable(status.getScaleDownPendingSince()).map(Instant::parse);
        ScaleDecision decision = LagAutoscaler.decide(policy, current, reading, pendingSince, now);
        status.setLag(reading.lag());
        status.setDesiredReplicas(decision.replicas());
        status.setScaleDownPendingSince(decision.scaleDownPendingSince()
                .map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null));
        String pods = "group " + group + ": " + decision.explanation();
        Conditions.set(status, SCALING_ACTIVE, true, LAG_READ, pods, generation, now);
        if (decision.partitionCapped()) {
            Conditions.set(status, PARTITION_CAPPED, true, "PartitionCount", "the lag calls for "
                    + decision.wanted() + " pods, but the topics have at most " + reading.partitions()
                    + " partitions: more pods would have nothing to consume", generation, now);
        } else {
            Conditions.set(status, PARTITION_CAPPED, false, "WithinPartitionCount", "the topics have up to "
                    + reading.partitions() + " partitions", generation, now);
        }
        if (decision.replicas() != current) {
            String message = "scaled from " + current + " to " + decision.replicas() + " pods: " + decision.explanation();
            log.info("{}/{} {}", listener.getMetadata().getNamespace(), listener.getMetadata().getName(), message);
            events.record(client, listener, KubernetesEvents.NORMAL, "Scaled", message);
        }
        return Optional.of(policy.pollInterval());
    }

    /**
     * The pods the listener runs now: its Deployment's replicas, else (no Deployment yet) the last
     * decision, else the fewest the policy allows. The Deployment comes first because the operator
     * SDK hands a reconciliation its own last write of a dependent, but not always of the status.
     */
    private static int current(StreambackListenerStatus status, Optional<Deployment> deployment,
                               AutoscalingPolicy policy) {
        return deployment.map(d -> d.getSpec().getReplicas())
                .or(() -> Optional.ofNullable(status.getDesiredReplicas()))
                .orElse(policy.sizing().minimum());
    }

    private void unavailable(StreambackListener listener, KubernetesClient client, int current, String why,
                             Instant now) {
        StreambackListenerStatus status = listener.getStatus();
        boolean wasAvailable = !Conditions.get(status, SCALING_ACTIVE)
                .map(c -> LAG_UNAVAILABLE.equals(c.getReason())).orElse(false);
        String message = why + "; keeping " + current + (current == 1 ? " pod" : " pods");
        status.setDesiredReplicas(current);
        // No reading, no evidence for scaling down: the wait starts again with the next reading.
        status.setScaleDownPendingSince(null);
        Conditions.set(status, SCALING_ACTIVE, false, LAG_UNAVAILABLE, message, listener.getMetadata().getGeneration(),
                now);
        if (wasAvailable) {
            log.warn("{}/{} cannot autoscale: {}", listener.getMetadata().getNamespace(),
                    listener.getMetadata().getName(), message);
            events.record(client, listener, KubernetesEvents.WARNING, LAG_UNAVAILABLE, message);
        }
    }

    /**
     * spec.concurrency beside spec.autoscaling: what kubectl scale writes on an API server that
     * does not evaluate the CRD's CEL rule. Autoscaling wins; the condition and an Event say so.
     */
    private void conflict(StreambackListener listener, KubernetesClient client, Instant now) {
        StreambackListenerStatus status = listener.getStatus();
        Integer concurrency = listener.getSpec().getConcurrency();
        // The schema defaults concurrency, so an autoscaled listener stored by the API server has the default.
        if (concurrency == null || concurrency == StreambackListenerSpec.DEFAULT_CONCURRENCY) {
            Conditions.remove(status, AUTOSCALING_CONFLICT);
            return;
        }
        boolean wasConflict = Conditions.isTrue(status, AUTOSCALING_CONFLICT);
        String message = "spec.concurrency " + concurrency + " (kubectl scale) is ignored while spec.autoscaling "
                + "is set: the operator sets the pods from the lag. Change spec.autoscaling to change the range, "
                + "or remove it to scale by hand; remove spec.concurrency to clear this condition.";
        Conditions.set(status, AUTOSCALING_CONFLICT, true, MANUAL_SCALE_IGNORED, message,
                listener.getMetadata().getGeneration(), now);
        if (!wasConflict) {
            events.record(client, listener, KubernetesEvents.WARNING, MANUAL_SCALE_IGNORED, message);
        }
    }
}
