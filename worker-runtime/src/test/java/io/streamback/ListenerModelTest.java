package io.streamback;

import static io.streamback.StreambackFixture.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.callback.RunningStreamback;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackTimeoutException;
import io.streamback.feedback.Reply;
import io.streamback.kafka.KeyPartitioner;
import io.streamback.listener.Context;
import io.streamback.listener.Input;
import io.streamback.listener.Listen;
import io.streamback.listener.Listener;
import io.streamback.listener.ListenerOptions;
import io.streamback.listener.Message;
import io.streamback.listener.Retry;
import io.streamback.listener.Router;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener programming model on the real broker and Redis. */
@StreambackTest
class ListenerModelTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    record Point(int x, int y) {
    }

    private final Testkit testkit;
    private StreambackFixture apps;
    private String topic;
    private Streamback producer;

    ListenerModelTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        apps = new StreambackFixture(testkit);
        topic = Testkit.uniqueName("topic");
        producer = apps.app("producer");
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    /** Annotated listener methods for the tests below; topics are set per test through a prefix. */
    public static class Greeter {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Listen(topic = "hello")
        public void hello(Context context, Message message) {
            calls.add("hello:" + context.listenerName());
            message.respond("hi " + message.value().get("name").asText());
        }

        @Listen(topics = {"plain", "plain2"})
        public void plain(Message message) {
            calls.add("plain:" + message.topic());
            message.respond("plain");
        }

        @Listen(topic = "inject")
        public void inject(@Input("name") String name, @Input("age") Integer age, @Input("point") Point point,
                           @Input("tags") List<String> tags, Message message) {
            message.respond(name + "," + age + "," + point + "," + tags);
        }

        @Listen(topic = "primitive")
        public void primitive(@Input("count") int count, Message message) {
            message.respond(count + 1);
        }
    }

    private Streamback withPrefix(String name) {
        return apps.app(name, "&topics_prefix=" + topic, b -> b);
    }

    @Test
    void annotatedMethodsReceiveContextAndMessage() throws Exception {
        Greeter greeter = new Greeter();
        started(withPrefix(Testkit.uniqueName("greeter")).register(greeter));
        Streamback client = withPrefix("client");

        assertThat(client.send("hello", Map.of("name", "Ada")).read(WAIT).map(Reply::value)).map(JsonNode::asText).contains("hi Ada");
        assertThat(client.send("plain2", Map.of()).read(WAIT).map(Reply::value)).map(JsonNode::asText).contains("plain");
        assertThat(greeter.calls).containsExactly("hello:Greeter.hello", "plain:" + topic + ".plain2");
    }

    @Test
    void inputInjectionConvertsFieldsAndGivesNullForMissingOnes() throws Exception {
        started(withPrefix(Testkit.uniqueName("greeter")).register(new Greeter()));
        Streamback client = withPrefix("client");

        Map<String, Object> value = Map.of("name", "Ada", "age", 36, "point", Map.of("x", 1, "y", 2),
                "tags", List.of("a", "b"), "unused", true);
        assertThat(client.send("inject", value).read(WAIT, String.class).map(Reply::value))
                .contains("Ada,36,Point[x=1, y=2],[a, b]");
        assertThat(client.send("inject", Map.of("name", "Bob")).read(WAIT, String.class).map(Reply::value))
                .contains("Bob,null,null,null");
    }

    @Test
    void missingPrimitiveOrUnconvertibleFieldFailsTheRecordNamingListenerFieldAndType() throws Exception {
        started(withPrefix(Testkit.uniqueName("greeter")).register(new Greeter()));
        Streamback client = withPrefix("client");

        assertThatThrownBy(() -> client.send("primitive", Map.of()).read(WAIT))
                .isInstanceOf(FeedbackErrorException.class)
                .hasMessageContaining("Greeter.primitive").hasMessageContaining("'count'").hasMessageContaining("int");
        assertThatThrownBy(() -> client.send("inject", Map.of("age", "old")).read(WAIT))
                .isInstanceOf(FeedbackErrorException.class)
                .hasMessageContaining("Greeter.inject").hasMessageContaining("'age'")
                .hasMessageContaining("java.lang.Integer");
        assertThat(client.send("primitive", Map.of("count", 41)).read(WAIT, Integer.class).map(Reply::value)).contains(42);
    }

    public static class UnsupportedParameter {
        @Listen(topic = "t")
        public void handle(String notAnnotated) {
        }
    }

    public static class NoTopic {
        @Listen
        public void handle(Message message) {
        }
    }

    public static class NothingToListen {
        public void handle(Message message) {
        }
    }

    @Test
    void misdeclaredListenersFailAtRegistration() {
        Streamback app = apps.app("app");

        assertThatThrownBy(() -> app.register(new UnsupportedParameter()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UnsupportedParameter.handle")
                .hasMessageContaining("parameter 1 (String notAnnotated)");
        assertThatThrownBy(() -> app.register(new NoTopic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NoTopic.handle").hasMessageContaining("topic");
        assertThatThrownBy(() -> app.register(new NothingToListen()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no public @Listen method");
        assertThatThrownBy(() -> app.register(NoConstructorLogs.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-argument constructor");
        assertThatThrownBy(() -> app.register(new TwoWorkerLogs()))
                .as("an instance belongs to one worker")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TwoWorkerLogs is registered as an instance")
                .hasMessageContaining("register(TwoWorkerLogs.class)");
        app.register(TwoWorkerLogs.class);
    }

    @Listen(topic = "new_log", concurrency = 2)
    public static class TwoWorkerLogs implements Listener {
        @Override
        public void consume(Context context, Message message) {
        }
    }

    /** The Python README's logs consumer: batches in memory, flushes to a "database". */
    @Listen(topic = "new_log")
    public static class LogsConsumer implements Listener {
        static final List<List<String>> DATABASE = new CopyOnWriteArrayList<>();
        static final AtomicInteger INSTANCES = new AtomicInteger();
        private final List<String> logs = new ArrayList<>();

        public LogsConsumer() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public void consume(Context context, Message message) {
            logs.add(message.value().get("line").asText());
            if (logs.size() >= 100) {
                flush();
            }
        }

        @Override
        public void flush() {
            if (!logs.isEmpty()) {
                DATABASE.add(List.copyOf(logs));
                logs.clear();
            }
        }
    }

    @Listen(topic = "new_log")
    public static class NoConstructorLogs implements Listener {
        public NoConstructorLogs(String needed) {
        }

        @Override
        public void consume(Context context, Message message) {
        }
    }

    @Test
    void classListenerIsFlushedOnShutdownAndOnRecycle() throws Exception {
        LogsConsumer.DATABASE.clear();
        LogsConsumer.INSTANCES.set(0);
        Streamback app = started(withPrefix(Testkit.uniqueName("logs")).register(LogsConsumer.class));
        Streamback client = withPrefix("client");

        for (int i = 0; i < 5; i++) {
            client.send("new_log", Map.of("line", "a" + i)).read(WAIT);
        }
        app.recycleWorkers();
        assertThat(LogsConsumer.DATABASE).containsExactly(List.of("a0", "a1", "a2", "a3", "a4"));
        assertThat(LogsConsumer.INSTANCES).as("a fresh instance after the recycle").hasValue(2);

        for (int i = 0; i < 3; i++) {
            client.send("new_log", Map.of("line", "b" + i)).read(WAIT);
        }
        app.close();
        assertThat(LogsConsumer.DATABASE).containsExactly(List.of("a0", "a1", "a2", "a3", "a4"), List.of("b0", "b1", "b2"));
    }

    @Test
    void routerListenersAreIncluded() throws Exception {
        Router router = new Router()
                .listen("routed", (context, message) -> message.respond("from the router"))
                .register(new Greeter());
        started(withPrefix(Testkit.uniqueName("app")).includeRouter(router));
        Streamback client = withPrefix("client");

        assertThat(client.send("routed", Map.of()).read(WAIT, String.class).map(Reply::value)).contains("from the router");
        assertThat(client.send("hello", Map.of("name", "Router")).read(WAIT, String.class).map(Reply::value)).contains("hi Router");
    }

    public static class Flaky {
        final AtomicInteger attempts = new AtomicInteger();

        @Listen(topic = "flaky", retry = @Retry(times = 3, intervalMillis = 10))
        public void flaky(Message message) {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            message.respond("attempt " + attempts.get());
        }

        @Listen(topic = "broken", retry = @Retry(times = 2, intervalMillis = 10, multiplier = 2))
        public void broken(Message message) {
            attempts.incrementAndGet();
            throw new IllegalStateException("always");
        }

        @Listen(topic = "picky", retry = @Retry(times = 5, on = java.io.IOException.class))
        public void picky(Message message) {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("not an IOException");
        }
    }

    @Test
    void retriesUntilSuccessOrTheLastAttempt() throws Exception {
        Flaky flaky = new Flaky();
        started(withPrefix(Testkit.uniqueName("flaky")).register(flaky));
        Streamback client = withPrefix("client");

        assertThat(client.send("flaky", Map.of()).read(WAIT, String.class).map(Reply::value)).contains("attempt 3");

        flaky.attempts.set(0);
        assertThatThrownBy(() -> client.send("broken", Map.of()).read(WAIT))
                .isInstanceOf(FeedbackErrorException.class).hasMessageContaining("IllegalStateException: always");
        assertThat(flaky.attempts).as("first attempt and 2 retries").hasValue(3);

        flaky.attempts.set(0);
        assertThatThrownBy(() -> client.send("picky", Map.of()).read(WAIT))
                .isInstanceOf(FeedbackErrorException.class).hasMessageContaining("not an IOException");
        assertThat(flaky.attempts).as("other exception types are not retried").hasValue(1);
    }

    @Test
    void defaultRetryStrategyAppliesToListenersWithoutOne() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        started(apps.app(Testkit.uniqueName("app"), "", b -> b.retryStrategy(
                        io.streamback.listener.RetryStrategy.times(2)))
                .listen(topic, (context, message) -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("fails");
                }));

        assertThatThrownBy(() -> producer.send(topic, Map.of()).read(WAIT)).isInstanceOf(FeedbackErrorException.class);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void callbacksRunInOrderAndTheirFailuresDoNotStopConsumption() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<String> ticks = new LinkedBlockingQueue<>();
        Streamback app = apps.app(Testkit.uniqueName("app"))
                .listen(topic, (context, message) -> {
                    events.add("consume " + message.value().asText());
                    if (message.value().asText().equals("bad")) {
                        throw new IllegalStateException("bad");
                    }
                })
                .addCallback(new io.streamback.callback.Callback() {
                    @Override
                    public void onWorkerStart(String workerName) {
                        events.add("worker start");
                    }

                    @Override
                    public void onConsumeBegin(Context context, Message message) {
                        events.add("begin");
                        throw new IllegalStateException("a broken callback");
                    }

                    @Override
                    public void onConsumeException(Context context, Message message, Exception exception) {
                        events.add("exception " + exception.getMessage());
                    }

                    @Override
                    public void onConsumeEnd(Context context, Message message, Exception exception) {
                        events.add("end " + (exception == null ? "ok" : "failed"));
                    }

                    @Override
                    public void onTick(RunningStreamback streamback) {
                        ticks.add(streamback.name());
                    }
                });
        started(app);

        producer.send(topic, "good").read(WAIT);
        assertThatThrownBy(() -> producer.send(topic, "bad").read(WAIT)).isInstanceOf(FeedbackErrorException.class);

        assertThat(events).containsExactly("worker start",
                "begin", "consume good", "end ok",
                "begin", "consume bad", "exception bad", "end failed");
        assertThat(ticks.poll(10, TimeUnit.SECONDS)).isEqualTo(app.name());
    }

    @Test
    void concurrencyRunsDedicatedWorkersInParallel() throws Exception {
        assertWorkersMeet(3, apps.app(Testkit.uniqueName("app")), ListenerOptions.topic(topic).concurrency(3));
    }

    @Test
    void aDefaultConcurrencyGivesDedicatedWorkersToListenersWithoutTheirOwn() throws Exception {
        assertWorkersMeet(2, apps.app(Testkit.uniqueName("app"), "", builder -> builder.defaultConcurrency(2)),
                ListenerOptions.topic(topic));
    }

    /**
     * One record per partition of a {@code workers}-partition topic, each held at a barrier for
     * all: the records can only meet there if {@code workers} workers handle them at the same time.
     */
    private void assertWorkersMeet(int workers, Streamback app, ListenerOptions listener) throws Exception {
        testkit.kafka().createTopic(topic, workers);
        CyclicBarrier allAtOnce = new CyclicBarrier(workers);
        List<String> threads = new CopyOnWriteArrayList<>();
        started(app.listen(listener, (context, message) -> {
            threads.add(Thread.currentThread().getName());
            allAtOnce.await(20, TimeUnit.SECONDS);
            message.respond("together");
        }));

        List<java.util.concurrent.CompletableFuture<java.util.Optional<String>>> replies = new ArrayList<>();
        for (int partition = 0; partition < workers; partition++) {
            replies.add(producer.send(topic, Map.of("p", partition), keyFor(partition, workers))
                    .readAsync(null, WAIT, String.class).thenApply(reply -> reply.map(Reply::value)));
        }
        for (var reply : replies) {
            assertThat(reply.get(40, TimeUnit.SECONDS)).contains("together");
        }
        assertThat(threads).doesNotHaveDuplicates().hasSize(workers);
    }

    @Test
    void aNegativeDefaultConcurrencyIsRefused() {
        assertThatThrownBy(() -> Streamback.builder("app").defaultConcurrency(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultConcurrency must be 0 or more, got -1");
    }

    /** A key that Streamback's default partitioner (CRC-32, as the Python library) puts on {@code partition}. */
    private static String keyFor(int partition, int partitions) {
        for (int i = 0; ; i++) {
            if (KeyPartitioner.CRC32.partition("key-" + i, partitions).orElseThrow() == partition) {
                return "key-" + i;
            }
        }
    }

    @Test
    void anErrorFromAListenerFailsItsRecordAndTheWorkerGoesOn() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger workerStarts = new AtomicInteger();
        started(apps.app(Testkit.uniqueName("app"))
                .listen(topic, (context, message) -> {
                    if (deliveries.incrementAndGet() == 1) {
                        throw new WorkerKiller();
                    }
                    message.respond("next message");
                })
                .addCallback(new io.streamback.callback.Callback() {
                    @Override
                    public void onWorkerStart(String workerName) {
                        workerStarts.incrementAndGet();
                    }
                }));

        assertThatThrownBy(() -> producer.send(topic, Map.of()).read(WAIT))
                .isInstanceOf(io.streamback.feedback.FeedbackErrorException.class)
                .hasMessageContaining("WorkerKiller: simulated worker crash");
        assertThat(producer.send(topic, Map.of()).read(WAIT, String.class).map(Reply::value)).contains("next message");
        assertThat(deliveries).as("the failed record is not delivered again").hasValue(2);
        assertThat(workerStarts).as("the worker was not restarted").hasValue(1);
    }

    @Test
    void crashedWorkerIsRestartedAndTheRecordHandled() throws Exception {
        AtomicInteger workerStarts = new AtomicInteger();
        // Not started(): the first worker dies before it gets partitions.
        apps.app(Testkit.uniqueName("app"))
                .listen(topic, (context, message) -> message.respond("handled"))
                .addCallback(new io.streamback.callback.Callback() {
                    @Override
                    public void onWorkerStart(String workerName) {
                        if (workerStarts.incrementAndGet() == 1) {
                            throw new WorkerKiller();
                        }
                    }
                })
                .startAsync();

        assertThat(producer.send(topic, Map.of()).read(WAIT, String.class).map(Reply::value)).contains("handled");
        assertThat(workerStarts).hasValue(2);
    }

    @Test
    void theSupervisionTickSurvivesAListenerFactoryThrowingWhileAWorkerRestarts() throws Exception {
        AtomicInteger workerStarts = new AtomicInteger();
        AtomicInteger instances = new AtomicInteger();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        apps.app(Testkit.uniqueName("app"), "", builder -> builder.meterRegistry(registry))
                .listen(ListenerOptions.topic(topic), () -> {
                    if (instances.incrementAndGet() == 2) {
                        throw new IllegalStateException("listener factory broken once");
                    }
                    return (context, message) -> message.respond("handled");
                })
                .addCallback(new io.streamback.callback.Callback() {
                    @Override
                    public void onWorkerStart(String workerName) {
                        if (workerStarts.incrementAndGet() == 1) {
                            throw new WorkerKiller();
                        }
                    }
                })
                .startAsync();

        assertThat(producer.send(topic, Map.of()).read(WAIT, String.class).map(Reply::value)).contains("handled");
        assertThat(registry.get("streamback.supervision.failures").counter().count()).isEqualTo(1);
        assertThat(instances).as("first worker, failed restart, restart").hasValue(3);
        assertThat(workerStarts).hasValue(2);
    }

    /** An Error thrown by a listener or, to crash a worker, by a callback that starts it. */
    static final class WorkerKiller extends Error {
        WorkerKiller() {
            super("simulated worker crash");
        }
    }

    @Test
    void topicsFilterRunsOnlyTheListedTopicsListeners() throws Exception {
        String other = Testkit.uniqueName("other");
        AtomicInteger otherCalls = new AtomicInteger();
        started(apps.app(Testkit.uniqueName("app"), "", b -> b.topicsFilter(java.util.Set.of(topic)))
                .listen(topic, (context, message) -> message.respond("kept"))
                .listen(other, (context, message) -> otherCalls.incrementAndGet()));

        assertThat(producer.send(topic, Map.of()).read(WAIT, String.class).map(Reply::value)).contains("kept");
        assertThatThrownBy(() -> producer.send(other, Map.of()).read(Duration.ofSeconds(2)))
                .isInstanceOf(FeedbackTimeoutException.class);
        assertThat(otherCalls).hasValue(0);
    }

    @Test
    void handlerSlowerThanMaxPollIntervalCausesNoRebalance() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger assignments = new AtomicInteger();
        started(apps.app(Testkit.uniqueName("app"), "", b -> b
                        .kafkaProperty("max.poll.interval.ms", "1500"))
                .listen(topic, (context, message) -> {
                    calls.incrementAndGet();
                    // Work that outlasts max.poll.interval.ms; the consumer keeps polling meanwhile.
                    Thread.sleep(4000);
                    message.respond("slow but done");
                })
                .addCallback(new io.streamback.callback.Callback() {
                    @Override
                    public void onWorkerStart(String workerName) {
                        assignments.incrementAndGet();
                    }
                }));

        assertThat(producer.send(topic, Map.of()).read(WAIT, String.class).map(Reply::value)).contains("slow but done");
        assertThat(producer.send(topic, Map.of()).read(WAIT, String.class).map(Reply::value)).contains("slow but done");
        assertThat(calls).as("each record handled once").hasValue(2);
        assertThat(assignments).hasValue(1);
    }

    @Test
    void everyListenerOnATopicSeesEachRecordAcrossWorkerKinds() throws Exception {
        testkit.kafka().createTopic(topic, 2);
        List<String> seen = new CopyOnWriteArrayList<>();
        started(apps.app(Testkit.uniqueName("app"))
                .listen(topic, (context, message) -> seen.add("pooled " + message.value().asInt()))
                .listen(ListenerOptions.topic(topic).concurrency(2), (context, message) ->
                        seen.add("dedicated " + message.value().asInt())));

        for (int i = 0; i < 4; i++) {
            producer.send(topic, i, keyFor(i % 2, 2)).read(WAIT);
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(seen).containsExactlyInAnyOrder(
                "pooled 0", "dedicated 0", "pooled 1", "dedicated 1",
                "pooled 2", "dedicated 2", "pooled 3", "dedicated 3"));
    }
}
