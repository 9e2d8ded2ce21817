package io.streamback.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import io.streamback.listener.Listen;
import io.streamback.listener.Message;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Closing the context (what SIGTERM does) while a listener is handling a record: the record
 * finishes, its reply and end marker reach the producer, and its offset is committed, so the next
 * replica neither loses nor repeats it.
 */
class GracefulShutdownTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void theRecordInHandFinishesAndIsCommittedBeforeTheContextCloses() throws Exception {
        Testkit testkit = Testkit.shared();
        String group = Testkit.uniqueName("greeting-service");
        String prefix = Testkit.uniqueName("shutdown");
        SlowListener slow = new SlowListener();
        ConfigurableApplicationContext service = new SpringApplicationBuilder(GreetingServiceApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("slowListener", slow))
                .properties(
                        "streamback.streams=" + testkit.streamsUrl(),
                        "streamback.name=" + group,
                        "streamback.topics-prefix=" + prefix,
                        "server.port=0")
                .run();

        try (Streamback client = Streamback.create("client", testkit.streamsUrl() + "&topics_prefix=" + prefix)) {
            FeedbackLane lane = client.send("slow", Map.of("work", 1));
            assertThat(slow.started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            CountDownLatch shutdownBegun = new CountDownLatch(1);
            service.addApplicationListener((ContextClosedEvent event) -> shutdownBegun.countDown());
            CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);
            assertThat(shutdownBegun.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(closing).as("closing waits for the record in hand").isNotDone();
            slow.finish.countDown();
            closing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(lane.stream(TIMEOUT).map(Reply::value).map(JsonNode::asText).toList()).containsExactly("finished");
            assertThat(committedOffsets(testkit, group)).containsExactly(1L);
        }
    }

    private static List<Long> committedOffsets(Testkit testkit, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(entry -> entry.getKey().topic().endsWith(".slow"))
                    .map(Map.Entry::getValue)
                    .map(OffsetAndMetadata::offset)
                    .toList();
        }
    }

    /** Holds its record until the test lets it finish. */
    public static class SlowListener {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);

        @Listen(topic = "slow")
        public void handle(Message message) throws InterruptedException {
            started.countDown();
            if (finish.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                message.respond("finished");
            }
        }
    }
}
