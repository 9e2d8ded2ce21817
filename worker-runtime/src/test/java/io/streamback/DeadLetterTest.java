package io.streamback;

import static io.streamback.StreambackFixture.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.internal.wire.WireFormat;
import io.streamback.listener.Input;
import io.streamback.listener.Listen;
import io.streamback.listener.ListenerOptions;
import io.streamback.listener.RetryStrategy;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records that can't be handled go to the dead-letter topic, and the listener goes on. */
@StreambackTest
class DeadLetterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Testkit testkit;
    private StreambackFixture apps;
    private String topic;

    DeadLetterTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        apps = new StreambackFixture(testkit);
        topic = Testkit.uniqueName("topic");
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithWhereAndWhy() throws Exception {
        String app = Testkit.uniqueName("app");
        BlockingQueue<JsonNode> handled = new LinkedBlockingQueue<>();
        started(apps.app(app).listen(topic, (context, message) -> handled.add(message.value())));
        String feedbackTopic = "streamback_feedback_" + UUID.randomUUID();
        FeedbackLane lane = apps.app("producer").continueStream(feedbackTopic);

        produceRaw("not json".getBytes(StandardCharsets.UTF_8));
        produceRaw("[1, 2]".getBytes(StandardCharsets.UTF_8));
        produceRaw(new byte[] {'{', (byte) 0xC3, '}'});
        produceRaw(("{\"event\": 7, \"feedback_topic\": \"" + feedbackTopic + "\"}").getBytes(StandardCharsets.UTF_8));
        produceRaw("{\"value\": {\"n\": 1}, \"event\": \"message\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(handled.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the listener goes on")
                .isEqualTo(WireFormat.mapper().readTree("{\"n\": 1}"));
        List<ConsumerRecord<String, byte[]>> dead = readDeadLetters(4);
        assertThat(dead).extracting(record -> header(record, "streamback.error")).containsExactly(
                "MalformedRecordException: record value is not JSON: Unrecognized token 'not': was expecting (JSON String, Number (or 'NaN'/'+INF'/'-INF'), Array, Object or token 'null', 'true' or 'false')",
                "MalformedRecordException: record value is JSON but not an object (an array)",
                "MalformedRecordException: record value is not valid UTF-8",
                "MalformedRecordException: field 'event' is not a string (a number)");
        assertThat(dead).extracting(record -> header(record, "streamback.source.offset")).containsExactly("0", "1", "2", "3");
        assertThat(dead).allSatisfy(record -> {
            assertThat(header(record, "streamback.source.topic")).isEqualTo(topic);
            assertThat(header(record, "streamback.source.partition")).isEqualTo("0");
            assertThat(header(record, "streamback.app")).isEqualTo(app);
        });
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).as("kept as it was").isEqualTo("not json");
        assertThatThrownBy(() -> lane.read(WAIT)).as("a producer that can be told is told")
                .isInstanceOf(FeedbackErrorException.class).hasMessageContaining("'event' is not a string");
    }

    @Test
    void aRecordThatIsNotJsonButNamesItsFeedbackTopicGetsItsProducerTheErrorAtOnce() throws Exception {
        started(apps.app(Testkit.uniqueName("app")).listen(topic, (context, message) -> message.respond("unexpected")));
        String feedbackTopic = "streamback_feedback_" + UUID.randomUUID();
        FeedbackLane lane = apps.app("producer").continueStream(feedbackTopic);

        produceRaw(("{\"value\": {\"cut\": [1, 2, \"event\": \"message\", \"feedback_topic\": \"" + feedbackTopic + "\"}")
                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> lane.read(WAIT)).isInstanceOf(FeedbackErrorException.class)
                .hasMessageContaining("record value is not JSON");
        assertThat(readDeadLetters(1)).hasSize(1);
    }

    @Test
    void aListenerThatAlwaysFailsIsTriedFourTimesThenDeadLettered() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        started(apps.app(Testkit.uniqueName("app")).listen(
                ListenerOptions.topic(topic).retry(RetryStrategy.times(3).interval(Duration.ofMillis(10))),
                (context, message) -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("always broken");
                }));

        assertThatThrownBy(() -> apps.app("producer").send(topic, Map.of("id", 1), "k1").read(WAIT))
                .isInstanceOf(FeedbackErrorException.class).hasMessageContaining("IllegalStateException: always broken");

        assertThat(attempts).hasValue(4);
        ConsumerRecord<String, byte[]> dead = readDeadLetters(1).get(0);
        assertThat(header(dead, "streamback.error")).isEqualTo("IllegalStateException: always broken");
        assertThat(dead.key()).isEqualTo("k1");
        assertThat(WireFormat.mapper().readTree(new String(dead.value(), StandardCharsets.UTF_8)).get("value").get("id").asInt())
                .isEqualTo(1);
    }

    @Test
    void deadLettersCanBeTurnedOffOrRenamed() throws Exception {
        started(apps.app(Testkit.uniqueName("app"), "", b -> b.deadLetterTopic("{topic}-failed"))
                .listen(topic, (context, message) -> {
                    throw new IllegalStateException("nope");
                }));

        assertThatThrownBy(() -> apps.app("producer").send(topic, Map.of()).read(WAIT))
                .isInstanceOf(FeedbackErrorException.class);

        assertThat(readRecords(topic + "-failed", 1)).hasSize(1);
    }

    @Test
    void aMessageMissingAFieldItsListenerNeedsIsRejectedNamingTheFieldNotDeadLettered() throws Exception {
        started(apps.app(Testkit.uniqueName("app")).register(new NeedsCount()));
        Streamback producer = apps.app("producer");

        assertThatThrownBy(() -> producer.send(NeedsCount.TOPIC, Map.of("other", 1)).read(WAIT))
                .isInstanceOf(FeedbackErrorException.class).hasMessageContaining("InvalidInputException")
                .hasMessageContaining("'count'");
        // With the field the listener runs and fails: that record is the topic's first dead letter.
        assertThatThrownBy(() -> producer.send(NeedsCount.TOPIC, Map.of("count", 1)).read(WAIT))
                .isInstanceOf(FeedbackErrorException.class).hasMessageContaining("AssertionError");

        List<ConsumerRecord<String, byte[]>> dead = readRecords(NeedsCount.TOPIC + ".dlt", 1);
        assertThat(header(dead.get(0), "streamback.error")).startsWith("AssertionError");
    }

    @Test
    void aOneMegabyteValueIsDeadLetteredWhole() throws Exception {
        BlockingQueue<JsonNode> handled = new LinkedBlockingQueue<>();
        started(apps.app(Testkit.uniqueName("app")).listen(topic, (context, message) -> handled.add(message.value())));
        byte[] megabyte = new byte[1_000_000];
        Arrays.fill(megabyte, (byte) 'x');

        produceRaw(megabyte);
        produceRaw("{\"value\": {\"n\": 2}}".getBytes(StandardCharsets.UTF_8));

        assertThat(handled.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the listener goes on").isNotNull();
        ConsumerRecord<String, byte[]> dead = readDeadLetters(1).get(0);
        assertThat(dead.value()).isEqualTo(megabyte);
        assertThat(header(dead, "streamback.error")).startsWith("MalformedRecordException: record value is not JSON");
    }

    @Test
    void aValueTooLargeToCopyWithHeadersIsDeadLetteredWithoutItsValue() throws Exception {
        BlockingQueue<JsonNode> handled = new LinkedBlockingQueue<>();
        started(apps.app(Testkit.uniqueName("app")).listen(topic, (context, message) -> handled.add(message.value())));
        // Just under the broker's default message.max.bytes: the copy plus its headers no longer fits.
        byte[] almostTooLarge = new byte[1_048_400];
        Arrays.fill(almostTooLarge, (byte) 'x');

        produceRaw(almostTooLarge);
        produceRaw("{\"value\": {\"n\": 3}}".getBytes(StandardCharsets.UTF_8));

        assertThat(handled.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the partition is not stuck").isNotNull();
        ConsumerRecord<String, byte[]> dead = readDeadLetters(1).get(0);
        assertThat(dead.value()).isNull();
        assertThat(header(dead, "streamback.value.omitted")).isEqualTo("1048400");
        assertThat(header(dead, "streamback.source.offset")).isEqualTo("0");
    }

    /** Needs a field the test's message doesn't have. */
    public static final class NeedsCount {
        static final String TOPIC = "dead_letter_needs_count";

        @Listen(topic = TOPIC)
        public void handle(@Input("count") int count) {
            throw new AssertionError("called without a count");
        }
    }

    private List<ConsumerRecord<String, byte[]>> readDeadLetters(int count) {
        return readRecords(topic + ".dlt", count);
    }

    private List<ConsumerRecord<String, byte[]>> readRecords(String fromTopic, int count) {
        List<ConsumerRecord<String, byte[]>> records = testkit.kafka().readRecords(fromTopic, count, WAIT);
        assertThat(records).as("records on " + fromTopic).hasSize(count);
        return records;
    }

    private void produceRaw(byte[] value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * 1024 * 1024));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
