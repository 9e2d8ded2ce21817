package io.streamback.operator.autoscaling;

/**
 * What the operator read of a consumer group on a listener's topics.
 *
 * @param lag        records not yet committed by the group, summed over every partition of the topics
 *                   (from the earliest offset where the group has committed nothing, as the worker starts there)
 * @param partitions the largest partition count among the topics: more pods than this would have
 *                   nothing to consume
 */
public record LagReading(long lag, int partitions) {
}
