package io.streamback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamback.feedback.FeedbackLane;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mistakes of the caller are named as the caller's, on a real broker, and never as unavailable streams. */
@StreambackTest
class CallerErrorsTest {
    private final StreambackFixture apps;
    private final Testkit testkit;

    CallerErrorsTest(Testkit testkit) {
        this.testkit = testkit;
        this.apps = new StreambackFixture(testkit);
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    /** Jackson sees no properties: no getters, no public fields. */
    static final class NoGetters {
        private final String secretOfTheCaller = "data";
    }

    @Test
    void aTopicNameKafkaDoesNotAllowIsTheCallersMistake() {
        Streamback producer = apps.app(Testkit.uniqueName("producer"));

        assertThatThrownBy(() -> producer.send("orders and refunds", Map.of()))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("'orders and refunds' is not a topic Kafka accepts");
        assertThatThrownBy(() -> producer.send("t".repeat(250), Map.of()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("1 to 249");
        assertThatThrownBy(() -> producer.send(null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("send needs a topic, got null");
    }

    @Test
    void aValueLargerThanTheProducerSendsNamesTopicSizeAndLimit() {
        Streamback producer = apps.app(Testkit.uniqueName("producer"));
        String topic = Testkit.uniqueName("large");

        assertThatThrownBy(() -> producer.send(topic, "x".repeat(2_000_000)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("topic '" + topic + "'")
                .hasMessageContaining("max.request.size")
                .hasMessageContaining("1048576");
    }

    @Test
    void aValueTheBrokerRefusesAsTooLargeFailsTheLaneWithTheSameError() {
        String topic = Testkit.uniqueName("large");
        testkit.kafka().createTopic(topic, 1);
        // The producer would take 3 MB; the broker's default message.max.bytes (about 1 MB) does not.
        Streamback producer = apps.app(Testkit.uniqueName("producer"), "",
                builder -> builder.kafkaProperty("max.request.size", "3000000"));

        FeedbackLane lane = producer.send(topic, "x".repeat(2_000_000));

        // The read fails as soon as the broker refuses, long before its own timeout.
        CompletableFuture<?> read = lane.readAsync(null, Duration.ofHours(1), Object.class);
        await().atMost(Duration.ofSeconds(60)).until(read::isDone);
        assertThatThrownBy(read::join).hasCauseInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("topic '" + topic + "'");
    }

    @Test
    void anObjectJacksonWouldWriteAsAnEmptyObjectIsRefusedNotSentEmpty() {
        Streamback producer = apps.app(Testkit.uniqueName("producer"));

        assertThatThrownBy(() -> producer.send(Testkit.uniqueName("t"), new NoGetters()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NoGetters.class.getName())
                .hasMessageContaining("written as {}");
        assertThat(producer.send(Testkit.uniqueName("t"), Map.of()).feedbackTopic()).as("an empty map is fine")
                .startsWith("streamback_feedback_");
    }

    @Test
    void feedbackTimeoutsMustBePositive() {
        FeedbackLane lane = apps.app(Testkit.uniqueName("producer")).continueStream("streamback_feedback_none");

        assertThatThrownBy(() -> lane.read((Duration) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("A feedback timeout is a positive Duration, got null");
        assertThatThrownBy(() -> lane.read(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got PT-1S");
        assertThatThrownBy(() -> lane.stream(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got PT0S");
        assertThatThrownBy(() -> lane.readAsync(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendAfterCloseSaysTheStreambackIsClosed() {
        Streamback producer = apps.app(Testkit.uniqueName("producer"));
        producer.close();

        assertThatThrownBy(() -> producer.send(Testkit.uniqueName("t"), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Streamback '" + producer.name() + "' is closed");
    }
}
