package io.streamback;

import static io.streamback.StreambackFixture.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.FeedbackTimeoutException;
import io.streamback.feedback.Reply;
import io.streamback.listener.Message;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StreambackTest
class StreambackRoundTripTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    record Greeting(String something) {
    }

    record Sum(int a, int b) {
    }

    record Total(int total) {
    }

    private final Testkit testkit;
    private StreambackFixture apps;
    private String topic;

    StreambackRoundTripTest(Testkit testkit) {
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
    void oneWayMessageReachesTheListenerWithItsKey() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic, (context, message) -> received.add(message)));
        Streamback producer = apps.app("example_producer_app");

        producer.send(topic, Map.of("something", "Hello world!"), "customer-7");

        Message message = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(message.value().get("something").asText()).isEqualTo("Hello world!");
        assertThat(message.key()).contains("customer-7");
        assertThat(message.sourceGroup()).contains("example_producer_app");
        assertThat(message.feedbackTopic().orElseThrow()).startsWith("streamback_feedback_");
        assertThat(message.topic()).isEqualTo(topic);
    }

    @Test
    void rpcReplyComesBack() throws Exception {
        started(apps.app("example_consumer_app").listen(topic, (context, message) -> message.respond("Hello from the consumer!")));

        Optional<JsonNode> reply = apps.app("example_producer_app")
                .send(topic, Map.of("something", "Hello world!")).read(WAIT).map(Reply::value);

        assertThat(reply).map(JsonNode::asText).contains("Hello from the consumer!");
    }

    @Test
    void streamedRepliesArriveInOrderUntilTheEnd() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic, (context, message) -> {
            for (int i = 0; i < 10; i++) {
                message.respond("Hello #" + i + " from the consumer!");
            }
        }));

        List<String> replies = apps.app("producer").send(topic, Map.of()).stream(WAIT).map(Reply::value)
                .map(JsonNode::asText).collect(Collectors.toList());

        assertThat(replies).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "Hello #" + i + " from the consumer!").toList());
    }

    @Test
    void repeatedReadsTakeRepliesInTurnThenEmpty() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic, (context, message) -> {
            message.respond(1);
            message.respond(2);
            message.respond(3);
        }));
        FeedbackLane lane = apps.app("producer").send(topic, null);

        assertThat(lane.read(WAIT).map(Reply::value)).map(JsonNode::asInt).contains(1);
        assertThat(lane.read(WAIT).map(Reply::value)).map(JsonNode::asInt).contains(2);
        assertThat(lane.read(WAIT).map(Reply::value)).map(JsonNode::asInt).contains(3);
        assertThat(lane.read(WAIT)).isEmpty();
        assertThat(lane.isEnded()).isTrue();
        assertThat(lane.read(Duration.ofMillis(1)).map(Reply::value)).as("an ended lane answers at once").isEmpty();
    }

    @Test
    void listenerThatDoesNotReplyGivesEmpty() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic, (context, message) -> { }));

        assertThat(apps.app("producer").send(topic, Map.of("x", 1)).read(WAIT)).isEmpty();
    }

    @Test
    void listenerErrorReachesTheProducer() throws Exception {
        String consumer = Testkit.uniqueName("consumer");
        started(apps.app(consumer).listen(topic, (context, message) -> {
            message.respond("partial");
            throw new IllegalStateException("database is down");
        }));
        FeedbackLane lane = apps.app("producer").send(topic, Map.of());

        assertThat(lane.read(WAIT).map(Reply::value)).map(JsonNode::asText).contains("partial");
        assertThatThrownBy(() -> lane.read(WAIT))
                .isInstanceOfSatisfying(FeedbackErrorException.class, error -> {
                    assertThat(error.error()).isEqualTo("IllegalStateException: database is down");
                    assertThat(error.sourceGroup()).contains(consumer);
                })
                .hasMessageContaining(topic);
        assertThatThrownBy(() -> lane.read(WAIT).map(Reply::value)).as("the error stays with the lane")
                .isInstanceOf(FeedbackErrorException.class);
    }

    @Test
    void streamRaisesTheErrorAfterTheRepliesBeforeIt() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic, (context, message) -> {
            message.respond("a");
            throw new IllegalArgumentException("bad input");
        }));
        List<String> seen = new ArrayList<>();

        assertThatThrownBy(() -> apps.app("producer").send(topic, Map.of()).stream(WAIT)
                .forEach(reply -> seen.add(reply.value().asText())))
                .isInstanceOf(FeedbackErrorException.class)
                .hasMessageContaining("IllegalArgumentException: bad input");
        assertThat(seen).containsExactly("a");
    }

    @Test
    void noReplyInTimeNamesTopicAndTimeout() {
        FeedbackLane lane = apps.app("producer").send(topic, Map.of());

        assertThatThrownBy(() -> lane.read(Duration.ofMillis(300)))
                .isInstanceOf(FeedbackTimeoutException.class)
                .hasMessageContaining("'" + topic + "'")
                .hasMessageContaining("300 ms");
    }

    @Test
    void fromGroupSkipsOtherApplicationsReplies() throws Exception {
        String fast = Testkit.uniqueName("fast");
        String wanted = Testkit.uniqueName("wanted");
        started(apps.app(fast).listen(topic, (context, message) -> message.respond("from fast")));
        started(apps.app(wanted).listen(topic, (context, message) -> message.respond("from wanted")));
        Streamback producer = apps.app("producer");

        Optional<String> reply = producer.send(topic, Map.of()).read(wanted, WAIT, String.class).map(Reply::value);
        List<String> streamed = producer.send(topic, Map.of()).stream(fast, WAIT, String.class).map(Reply::value).toList();

        assertThat(reply).contains("from wanted");
        assertThat(streamed).containsExactly("from fast");
    }

    @Test
    void topicsPrefixNamesTheRealTopic() throws Exception {
        String prefix = Testkit.uniqueName("env");
        BlockingQueue<String> topics = new LinkedBlockingQueue<>();
        String consumer = Testkit.uniqueName("consumer");
        started(apps.app(consumer, "&topics_prefix=" + prefix, b -> b)
                .listen(topic, (context, message) -> {
                    topics.add(message.topic());
                    message.respond("ok");
                }));
        Streamback unprefixed = apps.app(Testkit.uniqueName("raw-consumer"));
        BlockingQueue<String> rawTopics = new LinkedBlockingQueue<>();
        started(unprefixed.listen(prefix + "." + topic, (context, message) -> rawTopics.add(message.topic())));

        Streamback producer = apps.app("producer", "&topics_prefix=" + prefix, b -> b);
        assertThat(producer.send(topic, Map.of()).read(consumer, WAIT, String.class).map(Reply::value)).contains("ok");

        assertThat(topics.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(prefix + "." + topic);
        assertThat(rawTopics.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(prefix + "." + topic);
    }

    @Test
    void groupOverrideIsTheConsumerGroupAndSourceGroup() throws Exception {
        String group = Testkit.uniqueName("override");
        Streamback consumer = apps.app("ignored-name", "&group=" + group, b -> b);
        BlockingQueue<String> sources = new LinkedBlockingQueue<>();
        started(consumer.listen(topic, (context, message) -> sources.add(message.sourceGroup().orElse("?"))));
        Streamback producer = apps.app("also-ignored", "&group=" + group + "-producer", b -> b);

        assertThat(consumer.name()).isEqualTo(group);
        producer.send(topic, Map.of()).read(WAIT);

        assertThat(sources.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(group + "-producer");
        try (Admin admin = admin()) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(committed(admin, group)).isNotNull());
        }
    }

    @Test
    void valuesMapToRecordsBothWays() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic, (context, message) -> {
            Sum sum = message.map(Sum.class);
            message.respond(new Total(sum.a() + sum.b()));
        }));

        Optional<Total> total = apps.app("producer")
                .send(topic, Map.of("a", 2, "b", 40, "ignored", true)).read(WAIT, Total.class).map(Reply::value);

        assertThat(total).contains(new Total(42));
    }

    @Test
    void laneResumesFromItsFeedbackTopicInAnotherInstance() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic, (context, message) -> {
            message.respond("first");
            message.respond("second");
        }));
        FeedbackLane lane = apps.app("producer").send(topic, Map.of());
        assertThat(lane.read(WAIT).map(Reply::value)).map(JsonNode::asText).contains("first");

        FeedbackLane resumed = apps.app("another-process").continueStream(lane.feedbackTopic());

        assertThat(resumed.stream(WAIT).map(Reply::value).map(JsonNode::asText)).containsExactly("second");
    }

    @Test
    void readAsyncCompletesWithTheReply() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic,
                (context, message) -> message.respond(message.map(Greeting.class))));

        CompletableFuture<Optional<Reply<Greeting>>> reply = apps.app("producer")
                .send(topic, new Greeting("hi")).readAsync(null, WAIT, Greeting.class);

        assertThat(reply.get(WAIT.toSeconds(), TimeUnit.SECONDS)).map(Reply::value).contains(new Greeting("hi"));
    }

    @Test
    void manyThreadsSendAndReadOnOneInstance() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer")).listen(topic,
                (context, message) -> message.respond(message.value().get("id").asInt() * 2)));
        Streamback producer = apps.app("producer");
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int base = thread * 1000;
                results.add(callers.submit(() -> {
                    List<Integer> replies = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        replies.add(producer.send(topic, Map.of("id", base + i)).read(WAIT, Integer.class).map(Reply::value).orElseThrow());
                    }
                    return replies;
                }));
            }
            for (int thread = 0; thread < 8; thread++) {
                int base = thread * 1000;
                assertThat(results.get(thread).get(60, TimeUnit.SECONDS))
                        .containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(i -> (base + i) * 2).toList());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void everyListenerOfATopicRunsBeforeTheEndMarker() throws Exception {
        started(apps.app(Testkit.uniqueName("consumer"))
                .listen(topic, (context, message) -> message.respond("first listener"))
                .listen(topic, (context, message) -> message.respond("second listener")));

        List<String> replies = apps.app("producer").send(topic, Map.of()).stream(WAIT).map(Reply::value).map(JsonNode::asText).toList();

        assertThat(replies).containsExactly("first listener", "second listener");
    }

    @Test
    void offsetIsCommittedOnlyAfterTheListenerFinished() throws Exception {
        String group = Testkit.uniqueName("consumer");
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        started(apps.app(group).listen(topic, (context, message) -> {
            inListener.countDown();
            release.await();
        }));
        apps.app("producer").send(topic, Map.of()).sent().get(30, TimeUnit.SECONDS);
        assertThat(inListener.await(30, TimeUnit.SECONDS)).isTrue();

        try (Admin admin = admin()) {
            assertThat(committed(admin, group)).as("committed while the listener runs").isNull();
            release.countDown();
            await().atMost(WAIT).untilAsserted(() -> assertThat(committed(admin, group))
                    .isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(1L));
        }
    }

    @Test
    void listenersCanSendFromInsideAHandler() throws Exception {
        String inner = Testkit.uniqueName("inner");
        started(apps.app(Testkit.uniqueName("inner-consumer")).listen(inner, (context, message) -> message.respond("inner")));
        started(apps.app(Testkit.uniqueName("outer-consumer")).listen(topic, (context, message) ->
                message.respond("outer+" + context.streamback().send(inner, Map.of()).read(WAIT).map(Reply::value).orElseThrow().asText())));

        assertThat(apps.app("producer").send(topic, Map.of()).read(WAIT).map(Reply::value)).map(JsonNode::asText).contains("outer+inner");
    }

    private OffsetAndMetadata committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition(topic, 0));
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers());
        return Admin.create(props);
    }
}
