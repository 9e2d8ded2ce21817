package io.streamback.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamback.internal.kafka.ConsumerLag;
import io.streamback.internal.metrics.ListenerMetrics;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The worker's lag after retention deleted records: where retention passed the group's commit, the
 * consumers resume at the earliest record left, so only the records from there count. The
 * operator's LagReader is held to the same numbers on the same layout (LagReaderTest).
 */
@StreambackTest
class LagScalerBacklogTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void recordsDeletedByRetentionAreNoLag(Testkit testkit) throws Exception {
        String topic = Testkit.uniqueName("retained");
        String group = Testkit.uniqueName("retained-app");
        testkit.kafka().createTopic(topic, 2);
        TopicPartition committedThenDeleted = new TopicPartition(topic, 0);
        TopicPartition neverCommitted = new TopicPartition(topic, 1);
        try (Admin admin = Admin.create(testkit.kafka().clientProperties())) {
            produce(testkit, committedThenDeleted, 10);
            produce(testkit, neverCommitted, 4);
            admin.alterConsumerGroupOffsets(group, Map.of(committedThenDeleted, new OffsetAndMetadata(3)))
                    .all().get();
            admin.deleteRecords(Map.of(committedThenDeleted, RecordsToDelete.beforeOffset(6),
                    neverCommitted, RecordsToDelete.beforeOffset(1))).all().get();

            ConsumerLag lag = ConsumerLag.read(admin, group, List.of(topic, "no-such-topic"), TIMEOUT);
            // 10 - max(3 committed, 6 earliest) and 4 - 1 earliest.
            assertThat(lag.partitions()).isEqualTo(Map.of(committedThenDeleted, 4L, neverCommitted, 3L));
            assertThat(lag.missingTopics()).containsExactly("no-such-topic");

            try (LagScaler scaler = new LagScaler(group, () -> admin, TIMEOUT,
                    new ListenerMetrics(new SimpleMeterRegistry()))) {
                assertThat(scaler.backlog(List.of(topic, "no-such-topic"))).isEqualTo(new LagScaler.Backlog(7, 2));
            }
        }
    }

    static void produce(Testkit testkit, TopicPartition partition, int records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(testkit.kafka().clientProperties(),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, "r" + i)).get();
            }
        }
    }
}
