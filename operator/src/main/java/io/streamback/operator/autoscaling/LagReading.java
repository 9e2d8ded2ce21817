package io.streamback.operator.autoscaling;

/**
 * What the operator read of a consumer group on a listener's topics.
 *
 * @param lag        records the group's consumers have yet to read, summed over every partition of the topics,
 *                   as {@link io.streamback.internal.kafka.ConsumerLag} counts them
 * @param partitions the largest partition count among the topics: more pods than this would have
 *                   nothing to consume
 */
public record LagReading(long lag, int partitions) {
}
