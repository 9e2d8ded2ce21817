package io.streamback.operator.autoscaling;

import static io.streamback.operator.autoscaling.AutoscalingPolicy.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides how many pods a listener runs for its lag. A pure function: the reconciler passes in what
 * it read and what the status remembers, and writes the decision back into the status.
 *
 * <ol>
 *   <li>The sizing (tiers or linear) gives the pods the lag calls for.</li>
 *   <li>With a minimum of 0 pods: a listener at zero stays there until the lag exceeds
 *       {@code activationLag}; a running one keeps at least one pod until the lag is 0, so a small
 *       backlog is not stranded.</li>
 *   <li>No more pods than the topics' largest partition count.</li>
 *   <li>Scaling up is immediate; scaling down waits until the lag has called for fewer pods for
 *       {@code scaleDownDelay}, except for pods above the partition count or the policy's maximum.</li>
 * </ol>
 */
public final class LagAutoscaler {

    private LagAutoscaler() {
    }

    /**
     * @param current      the pods the listener runs now (the last decision)
     * @param pendingSince since when the lag has called for fewer pods than {@code current}, if it has
     */
    public static ScaleDecision decide(AutoscalingPolicy policy, int current, LagReading reading,
                                       Optional<Instant> pendingSince, Instant now) {
        long lag = reading.lag();
        int wanted = policy.sizing().replicasFor(lag);
        String explanation = policy.sizing().explain(lag);
        if (policy.sizing().minimum() == 0) {
            if (current == 0 && lag <= policy.activationLag()) {
                wanted = 0;
                explanation = "lag " + lag + " is not above activationLag " + policy.activationLag()
                        + ": no pods";
            } else if (lag > 0 && wanted == 0) {
                wanted = 1;
                explanation = "lag " + lag + ": 1 pod until it is consumed";
            }
        }

        int cap = reading.partitions();
        boolean capped = wanted > cap;
        int target = Math.min(wanted, cap);
        if (capped) {
            explanation += ", capped at " + cap + " by the partition count";
        }
        if (target >= current) {
            return new ScaleDecision(target, wanted, capped, Optional.empty(), explanation);
        }

        Instant since = pendingSince.filter(s -> !s.isAfter(now)).orElse(now);
        Duration waited = Duration.between(since, now);
        if (waited.compareTo(policy.scaleDownDelay()) >= 0) {
            return new ScaleDecision(target, wanted, capped, Optional.empty(), explanation);
        }
        // Pods beyond the partition count go at once (they have nothing to consume), and so do pods beyond
        // the policy's maximum (the spec was just lowered).
        int kept = Math.min(current, Math.min(cap, policy.sizing().maximum()));
        if (kept == target) {
            return new ScaleDecision(target, wanted, capped, Optional.empty(), explanation);
        }
        Duration left = policy.scaleDownDelay().minus(waited);
        return new ScaleDecision(kept, wanted, capped, Optional.of(since), explanation + "; keeping "
                + pods(kept) + " for " + seconds(left) + " more (scaleDownDelaySeconds "
                + policy.scaleDownDelay().toSeconds() + ")");
    }

    private static String seconds(Duration duration) {
        long seconds = (duration.toMillis() + 999) / 1000;
        return seconds + " s";
    }
}
