package io.streamback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.feedback.FeedbackLane;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Kafka or Redis that can't be reached gives a clear error in bounded time, never a hang. */
@StreambackTest
class UnreachableStreamsTest {
    private static final Duration CONNECT = Duration.ofSeconds(2);

    @Test
    void startFailsWhenKafkaIsUnreachable() throws IOException {
        String kafka = "127.0.0.1:" + closedPort();
        try (Streamback streamback = Streamback.builder("app")
                .streams("main=kafka://" + kafka)
                .connectTimeout(CONNECT)
                .build()) {
            streamback.listen("t", (context, message) -> { });

            assertThatThrownBy(() -> streamback.startAsync().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StreamUnavailableException.class)
                    .hasMessageContaining("Kafka " + kafka + " is unreachable");
        }
    }

    @Test
    void sendFailsWhenKafkaIsUnreachable() throws IOException {
        String kafka = "127.0.0.1:" + closedPort();
        try (Streamback streamback = Streamback.builder("app")
                .streams("main=kafka://" + kafka)
                .connectTimeout(CONNECT)
                .build()) {
            assertThatThrownBy(() -> streamback.send("orders", Map.of("id", 1)))
                    .isInstanceOf(StreamUnavailableException.class)
                    .hasMessageContaining("topic 'orders'")
                    .hasMessageContaining(kafka)
                    .hasMessageContaining("the broker is unreachable");
        }
    }

    @Test
    void theProducerIsCreatedAtTheFirstSendOnly() throws IOException {
        String name = Testkit.uniqueName("lazy");
        String kafka = "127.0.0.1:" + closedPort();
        try (Streamback streamback = Streamback.builder(name)
                .streams("main=kafka://" + kafka)
                .connectTimeout(CONNECT)
                .build()) {
            assertThat(producerThreads(name)).isZero();

            assertThatThrownBy(() -> streamback.send("orders", Map.of("id", 1)))
                    .isInstanceOf(StreamUnavailableException.class);
            assertThat(producerThreads(name)).isOne();
        }
    }

    /** The Kafka producer's I/O threads of the Streamback named {@code name}. */
    private static long producerThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("kafka-producer-network-thread | " + name + "-producer"))
                .count();
    }

    @Test
    void unresolvableKafkaHostIsReportedAtBuild() {
        assertThatThrownBy(() -> Streamback.create("app", "main=kafka://no-such-host.invalid:9092"))
                .isInstanceOf(StreamUnavailableException.class)
                .hasMessageContaining("Kafka no-such-host.invalid:9092 is unreachable");
    }

    @Test
    void readFailsWhenRedisIsUnreachable(Testkit testkit) throws IOException {
        int redisPort = closedPort();
        try (Streamback streamback = Streamback.builder("app")
                .streams("main=kafka://" + testkit.bootstrapServers()
                        + "&feedback=redis://:hunter2@127.0.0.1:" + redisPort)
                .connectTimeout(CONNECT)
                .build()) {
            FeedbackLane lane = streamback.send(Testkit.uniqueName("topic"), Map.of());

            assertThatThrownBy(() -> lane.read(Duration.ofSeconds(5)))
                    .isInstanceOf(StreamUnavailableException.class)
                    .hasMessageContaining("Feedback stream redis://:****@127.0.0.1:" + redisPort + " is unavailable")
                    .message().doesNotContain("hunter2");
        }
    }

    @Test
    void startFailsWhenRedisIsUnreachable(Testkit testkit) throws IOException {
        int redisPort = closedPort();
        try (Streamback streamback = Streamback.builder("app")
                .streams("main=kafka://" + testkit.bootstrapServers() + "&feedback=redis://127.0.0.1:" + redisPort)
                .connectTimeout(CONNECT)
                .build()) {
            streamback.listen(Testkit.uniqueName("topic"), (context, message) -> { });

            assertThatThrownBy(() -> streamback.startAsync().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(StreamUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + redisPort);
        }
    }

    @Test
    void readingWithoutAFeedbackStreamSaysHowToConfigureIt(Testkit testkit) {
        try (Streamback oneWay = Streamback.create("app", "main=kafka://" + testkit.bootstrapServers())) {
            FeedbackLane lane = oneWay.send(Testkit.uniqueName("topic"), Map.of());

            assertThatThrownBy(lane::read)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("feedback=redis://");
            assertThat(lane.feedbackTopic()).startsWith("streamback_feedback_");
        }
    }

    /** A loopback port with nothing listening on it. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
