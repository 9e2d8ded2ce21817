package io.streamback.operator.autoscaling;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@link LagAutoscaler} decided.
 *
 * @param replicas              the pods to run now
 * @param wanted                the pods the lag calls for, before the partition cap and the scale-down delay
 * @param partitionCapped       whether the lag calls for more pods than the topics have partitions
 * @param scaleDownPendingSince since when the lag has called for fewer pods than {@code replicas};
 *                              empty when it does not
 * @param explanation           why, for the status: the lag, the rule applied, and any wait
 */
public record ScaleDecision(int replicas, int wanted, boolean partitionCapped,
                            Optional<Instant> scaleDownPendingSince, String explanation) {
}
