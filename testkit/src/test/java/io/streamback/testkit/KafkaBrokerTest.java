package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

class KafkaBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void producesAndConsumesThroughAConsumerGroup() throws Exception {
        KafkaBroker kafka = Testkit.shared().kafka();
        String topic = Testkit.uniqueName("produce-consume");
        kafka.createTopic(topic, 1);

        send(kafka, topic, "key-1", "hello");

        assertThat(consume(kafka, topic, 1)).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("key-1");
            assertThat(record.value()).isEqualTo("hello");
        });
    }

    @Test
    void createsTopicsAutomaticallyWithTheConfiguredPartitionCount() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.builder().partitions(3).start()) {
            String topic = Testkit.uniqueName("auto-created");

            send(kafka, topic, "k", "v");

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                        .hasSize(3);
            }
        }
    }

    @Test
    void createTopicAcceptsAnExistingTopic() {
        KafkaBroker kafka = Testkit.shared().kafka();
        String topic = Testkit.uniqueName("existing");

        kafka.createTopic(topic, 2);
        kafka.createTopic(topic, 2);
    }

    @Test
    @DisabledIf(value = "io.streamback.testkit.TestModes#containers", disabledReason = "stop and restart on the same port: processes mode only")
    void keepsRecordsAcrossStopAndRestartOnTheSamePort() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            String address = kafka.bootstrapServers();
            String topic = Testkit.uniqueName("restart");
            kafka.createTopic(topic, 1);
            send(kafka, topic, "before", "stop");

            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.restart();

            assertThat(kafka.isRunning()).isTrue();
            assertThat(kafka.bootstrapServers()).isEqualTo(address);
            assertThat(consume(kafka, topic, 1)).extracting(ConsumerRecord::value).containsExactly("stop");
        }
    }

    @Test
    @DisabledIf(value = "io.streamback.testkit.TestModes#containers",
            disabledReason = "restart is processes mode only; ContainerModeTest closes a container twice")
    void closeIsIdempotentAndForbidsRestart() {
        KafkaBroker kafka = KafkaBroker.start();

        kafka.close();
        kafka.close();

        assertThat(kafka.isRunning()).isFalse();
        assertThatThrownBy(kafka::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static void send(KafkaBroker kafka, String topic, String key, String value)
            throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<ConsumerRecord<String, String>> consume(KafkaBroker kafka, String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, Testkit.uniqueName("group"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
