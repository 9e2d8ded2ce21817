package io.streamback;

import static io.streamback.StreambackFixture.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.KeyValue;

/**
 * Our side against peers that speak only the documented protocol, written with plain
 * kafka-clients and Jedis exactly as the Python library writes and reads it.
 */
@StreambackTest
class WireCompatibilityTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Testkit testkit;
    private StreambackFixture apps;
    private JedisPooled redis;
    private String topic;

    WireCompatibilityTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        apps = new StreambackFixture(testkit);
        redis = new JedisPooled(testkit.redis().host(), testkit.redis().port());
        topic = Testkit.uniqueName("topic");
    }

    @AfterEach
    void tearDown() {
        apps.close();
        redis.close();
    }

    @Test
    void javaListenerAnswersARawPeerProducer() throws Exception {
        started(apps.app("example_consumer_app").listen(topic, (context, message) -> {
            message.respond("Hello from the consumer!");
            message.respond(Map.of("echo", message.value().get("something").asText()));
        }));
        String feedbackTopic = "streamback_feedback_" + UUID.randomUUID();

        produceRaw(topic, "k", "{\"value\": {\"something\": \"Hello world!\"}, \"event\": \"message\", "
                + "\"feedback_topic\": \"" + feedbackTopic + "\", \"source_group\": \"example_producer_app\"}");

        await().atMost(WAIT).until(() -> redis.llen(feedbackTopic) == 3);
        long ttl = redis.ttl(feedbackTopic);
        JsonNode first = JSON.readTree(brpop(feedbackTopic));
        JsonNode second = JSON.readTree(brpop(feedbackTopic));
        JsonNode end = JSON.readTree(brpop(feedbackTopic));
        assertThat(first).isEqualTo(JSON.readTree("{\"value\": \"Hello from the consumer!\", \"event\": \"response\", "
                + "\"source_group\": \"example_consumer_app\"}"));
        assertThat(second.get("value")).isEqualTo(JSON.readTree("{\"echo\": \"Hello world!\"}"));
        assertThat(end).isEqualTo(JSON.readTree("{\"event\": \"response_end\", \"error\": null, "
                + "\"source_group\": \"example_consumer_app\"}"));
        assertThat(ttl).as("feedback TTL").isBetween(1L, 300L);
    }

    @Test
    void javaListenerErrorIsAnEndWithErrorMarker() throws Exception {
        started(apps.app("example_consumer_app").listen(topic, (context, message) -> {
            throw new IllegalStateException("boom");
        }));
        String feedbackTopic = "streamback_feedback_" + UUID.randomUUID();

        produceRaw(topic, null, "{\"value\": null, \"event\": \"message\", \"feedback_topic\": \"" + feedbackTopic
                + "\", \"source_group\": \"py\"}");

        assertThat(JSON.readTree(brpop(feedbackTopic))).isEqualTo(JSON.readTree(
                "{\"event\": \"response_end_with_error\", \"error\": \"IllegalStateException: boom\", "
                        + "\"source_group\": \"example_consumer_app\"}"));
    }

    @Test
    void recordsWithoutFeedbackTopicGetNoEndMarkerAndMalformedOnesAreSkipped() throws Exception {
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic, (context, message) -> received.add(message.value())));

        produceRaw(topic, null, "not json at all");
        produceRaw(topic, null, "[\"an\", \"array\"]");
        produceRaw(topic, null, "{\"value\": {\"n\": 1}, \"event\": \"message\"}");
        produceRaw(topic, null, "{\"value\": {\"n\": 2}, \"event\": \"message\", \"extra\": \"ignored\"}");

        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(JSON.readTree("{\"n\": 1}"));
        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(JSON.readTree("{\"n\": 2}"));
    }

    @Test
    void javaProducerWritesTheDocumentedRecord() throws Exception {
        Streamback producer = apps.app("example_producer_app");
        try (KafkaConsumer<String, byte[]> consumer = rawConsumer()) {
            consumer.subscribe(List.of(topic));

            FeedbackLane lane = producer.send(topic, Map.of("something", "Hello world!"), "key-1");
            lane.sent().get(30, TimeUnit.SECONDS);

            ConsumerRecord<String, byte[]> record = pollOne(consumer);
            assertThat(record.key()).isEqualTo("key-1");
            JsonNode json = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
            assertThat(json).isEqualTo(JSON.readTree("{\"value\": {\"something\": \"Hello world!\"}, \"event\": \"message\", "
                    + "\"feedback_topic\": \"" + lane.feedbackTopic() + "\", \"source_group\": \"example_producer_app\"}"));
        }
    }

    @Test
    void javaProducerReadsARawPeersReplies() {
        Streamback producer = apps.app("example_producer_app");
        FeedbackLane lane = producer.send(topic, Map.of());

        redis.lpush(lane.feedbackTopic(), "{\"value\": \"Hello from the consumer!\", \"event\": \"response\", \"source_group\": \"py\"}");
        redis.lpush(lane.feedbackTopic(), "{\"value\": {\"n\": 2}, \"event\": \"response\", \"source_group\": \"py\"}");
        redis.lpush(lane.feedbackTopic(), "{\"event\": \"response_end\", \"error\": null, \"source_group\": \"py\"}");

        assertThat(lane.stream(WAIT).map(Reply::value).map(JsonNode::toString))
                .containsExactly("\"Hello from the consumer!\"", "{\"n\":2}");
    }

    @Test
    void javaProducerRaisesARawPeersError() {
        FeedbackLane lane = apps.app("example_producer_app").send(topic, Map.of());

        redis.lpush(lane.feedbackTopic(),
                "{\"event\": \"response_end_with_error\", \"error\": \"Exception('boom')\", \"source_group\": \"py\"}");

        assertThatThrownBy(() -> lane.read(WAIT))
                .isInstanceOfSatisfying(FeedbackErrorException.class,
                        error -> assertThat(error.error()).isEqualTo("Exception('boom')"));
    }

    private String brpop(String key) {
        KeyValue<String, String> popped = redis.brpop(WAIT.toSeconds(), key);
        assertThat(popped).as("an entry on " + key).isNotNull();
        return popped.getValue();
    }

    private void produceRaw(String topic, String key, String json) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key, json.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }

    private KafkaConsumer<String, byte[]> rawConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, Testkit.uniqueName("raw"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private static ConsumerRecord<String, byte[]> pollOne(KafkaConsumer<String, byte[]> consumer) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                return record;
            }
        }
        throw new AssertionError("no record on the topic within " + WAIT);
    }
}
