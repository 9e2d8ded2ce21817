package io.streamback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.feedback.Reply;
import io.streamback.kafka.TopicDefaults;
import io.streamback.testkit.KafkaBroker;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Readiness tells the truth about listener topics, on a broker that creates no topics by itself. */
class ReadinessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaBroker broker;

    private Streamback listener;
    private Streamback producer;

    @BeforeAll
    static void startBrokerWithoutAutoCreation() {
        broker = KafkaBroker.builder().brokerProperty("auto.create.topics.enable", "false").start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeApps() {
        for (Streamback app : new Streamback[] {listener, producer}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void aListenerWhoseTopicIsMissingIsNotReadyAndSaysWhichTopicUntilItExists() throws Exception {
        String topic = Testkit.uniqueName("missing");
        listener = app("listener", builder -> builder).listen(topic, (context, message) -> message.respond("here"));
        listener.startAsync().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(listener.isReady()).isFalse();
        assertThat(listener.notReadyBecause()).contains("listener topics do not exist: " + topic);

        broker.createTopic(topic, 2);

        await().atMost(WAIT).until(listener::isReady);
        producer = app("producer", builder -> builder);
        assertThat(producer.send(topic, Map.of()).read(WAIT).map(Reply::value)).map(JsonNode::asText).contains("here");
    }

    @Test
    void aWorkerMayCreateItsMissingTopicsAtStart() throws Exception {
        String topic = Testkit.uniqueName("created");
        listener = app("listener", builder -> builder.createMissingTopics(new TopicDefaults(3, Optional.empty())))
                .listen(topic, (context, message) -> message.respond("created and here"));
        listener.startAsync().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).until(listener::isReady);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions()).hasSize(3);
        }
        producer = app("producer", builder -> builder);
        assertThat(producer.send(topic, Map.of()).read(WAIT).map(Reply::value)).map(JsonNode::asText).contains("created and here");
    }

    private static Streamback app(String name, UnaryOperator<Streamback.Builder> settings) {
        return settings.apply(Streamback.builder(Testkit.uniqueName(name))
                .streams("main=kafka://" + broker.bootstrapServers() + "&feedback=" + Testkit.shared().redisUrl()))
                .build();
    }
}
