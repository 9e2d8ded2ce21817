package io.streamback;

import static io.streamback.StreambackFixture.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import io.streamback.internal.wire.WireFormat;
import io.streamback.listener.InvalidInputException;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A null reply against the end of the replies, and a listener rejecting a request. */
@StreambackTest
class RepliesAndRejectionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Testkit testkit;
    private StreambackFixture apps;
    private String topic;
    private String consumer;

    RepliesAndRejectionsTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        apps = new StreambackFixture(testkit);
        topic = Testkit.uniqueName("topic");
        consumer = Testkit.uniqueName("consumer");
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    private void answerNullThenOne() throws Exception {
        started(apps.app(consumer).listen(topic, (context, message) -> {
            message.respond(null);
            message.respond(1);
        }));
    }

    @Test
    void aTypedReadTellsANullReplyFromTheEnd() throws Exception {
        answerNullThenOne();
        FeedbackLane lane = apps.app("producer").send(topic, Map.of());

        assertThat(lane.read(WAIT, Integer.class)).contains(new Reply<>(null, Optional.of(consumer)));
        assertThat(lane.read(WAIT, Integer.class)).contains(new Reply<>(1, Optional.of(consumer)));
        assertThat(lane.read(WAIT, Integer.class)).isEmpty();
        assertThat(lane.isEnded()).isTrue();
    }

    @Test
    void anUntypedReadGivesTheNullReplyAsANullValueNotAJsonNullNode() throws Exception {
        answerNullThenOne();
        FeedbackLane lane = apps.app("producer").send(topic, Map.of());

        Optional<Reply<JsonNode>> first = lane.read(WAIT);
        assertThat(first).isPresent();
        assertThat(first.get().value()).isNull();
        assertThat(lane.read(WAIT)).map(Reply::value).map(JsonNode::asInt).contains(1);
        assertThat(lane.read(WAIT)).isEmpty();
    }

    @Test
    void streamYieldsWhatReadWouldTypedOrNot() throws Exception {
        answerNullThenOne();
        Streamback producer = apps.app("producer");

        assertThat(producer.send(topic, Map.of()).stream(WAIT, Integer.class).map(Reply::value))
                .containsExactly(null, 1);
        assertThat(producer.send(topic, Map.of()).stream(WAIT).map(Reply::value))
                .hasSize(2).first().isNull();
    }

    @Test
    void readAsyncTellsANullReplyFromTheEnd() throws Exception {
        answerNullThenOne();
        FeedbackLane lane = apps.app("producer").send(topic, Map.of());

        assertThat(lane.readAsync(WAIT, Integer.class).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .contains(new Reply<>(null, Optional.of(consumer)));
        assertThat(lane.readAsync(WAIT, Integer.class).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .map(Reply::value).contains(1);
        assertThat(lane.readAsync(WAIT, Integer.class).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aRejectionReachesTheProducerWithOneWarningAndNoDeadLetter() throws Exception {
        Streamback listener = started(apps.app(consumer).listen(topic, (context, message) -> {
            int amount = message.value().path("amount").asInt();
            if (amount <= 0) {
                throw new InvalidInputException("amount must be positive, got " + amount);
            }
            throw new IllegalStateException("the ledger is down");
        }));
        Streamback producer = apps.app("producer");

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThatThrownBy(() -> producer.send(topic, Map.of("amount", -5)).read(WAIT))
                    .isInstanceOfSatisfying(FeedbackErrorException.class, e -> assertThat(e.error())
                            .isEqualTo("InvalidInputException: amount must be positive, got -5"));

            List<String> rejection = Arrays.stream(logs.text().split("\n"))
                    .filter(line -> line.contains("rejected record " + topic)).toList();
            assertThat(rejection).singleElement().satisfies(line -> assertThat(line)
                    .contains("WARN").endsWith("amount must be positive, got -5"));
            assertThat(logs.text()).doesNotContain("InvalidInputException").doesNotContain("failed on record " + topic);
        }

        // counted once the listener has returned, which may be just after the producer has the error
        await().atMost(WAIT).untilAsserted(() -> assertThat(count(listener, "streamback.records.rejected")).isEqualTo(1.0));
        assertThat(count(listener, "streamback.records.failed")).isZero();

        // A listener failure after it is dead-lettered; on the topic's one partition, the first dead letter is that one.
        assertThatThrownBy(() -> producer.send(topic, Map.of("amount", 7)).read(WAIT))
                .isInstanceOf(FeedbackErrorException.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(count(listener, "streamback.records.failed")).isEqualTo(1.0));
        List<ConsumerRecord<String, byte[]>> dead = testkit.kafka().readRecords(topic + ".dlt", 1, WAIT);
        assertThat(dead).hasSize(1);
        assertThat(WireFormat.mapper().readTree(dead.get(0).value()).path("value").path("amount").asInt()).isEqualTo(7);
    }

    private static double count(Streamback streamback, String counter) {
        return streamback.meterRegistry().find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
