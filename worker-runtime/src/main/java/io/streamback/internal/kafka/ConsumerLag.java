package io.streamback.internal.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A consumer group's lag on some topics: per partition, the records between where the group's
 * consumers would resume and the end. They resume at the committed offset, or at the earliest
 * offset where the group committed nothing or retention deleted past its commit
 * ({@code auto.offset.reset=earliest}, as {@link KafkaClients} configures them). The worker's
 * own scaling and the operator's autoscaling both read it here, so they count alike.
 *
 * @param partitions    the lag of each partition of the topics that exist
 * @param missingTopics the topics Kafka does not know (yet): consumers create them on subscribing
 */
public record ConsumerLag(Map<TopicPartition, Long> partitions, Set<String> missingTopics) {

    public ConsumerLag {
        partitions = Map.copyOf(partitions);
        missingTopics = Set.copyOf(missingTopics);
    }

    /**
     * Reads the lag of {@code group} on {@code topics} (names as on Kafka) with {@code admin}, all
     * within {@code timeout}.
     */
    public static ConsumerLag read(Admin admin, String group, Collection<String> topics, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic
                : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                await(topic.getValue(), deadline).partitions().forEach(partition ->
                        partitions.add(new TopicPartition(topic.getKey(), partition.partition())));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(topic.getKey());
            }
        }
        if (partitions.isEmpty()) {
            return new ConsumerLag(Map.of(), missing);
        }
        KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(
                        Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)))
                .partitionsToOffsetAndMetadata(group);
        KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> ends = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all();
        KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> starts = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.earliest()))).all();
        Map<TopicPartition, OffsetAndMetadata> commits = await(committed, deadline);
        Map<TopicPartition, ListOffsetsResultInfo> end = await(ends, deadline);
        Map<TopicPartition, ListOffsetsResultInfo> start = await(starts, deadline);

        Map<TopicPartition, Long> lag = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long earliest = start.get(partition).offset();
            OffsetAndMetadata commit = commits.get(partition);
            long resume = commit == null ? earliest : Math.max(commit.offset(), earliest);
            lag.put(partition, Math.max(0, end.get(partition).offset() - resume));
        }
        return new ConsumerLag(lag, missing);
    }

    /** The lag summed over every partition. */
    public long total() {
        return partitions.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The largest partition count among the topics: consumers of the group beyond it get no partition. */
    public int widestTopic() {
        return partitions.keySet().stream()
                .collect(Collectors.groupingBy(TopicPartition::topic, Collectors.counting()))
                .values().stream().mapToInt(Long::intValue).max().orElse(0);
    }

    private static <T> T await(KafkaFuture<T> future, long deadlineNanos)
            throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
