package io.streamback.operator.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.config.StreamsUrl;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The operator's lag after retention deleted records, on the layout the worker's own scaler is
 * tested on (worker-runtime's LagScalerBacklogTest): both must count the same 7 records, or the
 * operator would size the Deployment for a backlog the workers never see.
 */
@StreambackTest
class LagReaderTest {

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
        }

        StreamsUrl streams = StreamsUrl.parse(testkit.streamsUrl());
        try (LagReader reader = new LagReader(LagReader.DEFAULT_TIMEOUT)) {
            // 10 - max(3 committed, 6 earliest) and 4 - 1 earliest.
            assertThat(reader.read(streams, Optional.empty(), group, List.of(topic))).isEqualTo(new LagReading(7, 2));
            assertThatThrownBy(() -> reader.read(streams, Optional.empty(), group, List.of(topic, "no-such-topic")))
                    .isInstanceOf(LagUnavailableException.class)
                    .hasMessageContaining("does not exist on Kafka");
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
