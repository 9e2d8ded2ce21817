package io.streamback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamback.Streamback;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.internal.runtime.ConsumerWorker;
import io.streamback.kafka.KeyPartitioner;
import io.streamback.listener.Concurrency;
import io.streamback.listener.Context;
import io.streamback.listener.Listener;
import io.streamback.listener.ListenerOptions;
import io.streamback.listener.Message;
import io.streamback.testkit.KafkaBroker;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A misbehaving listener in a healthy world, on a real broker and Redis: listeners that throw
 * Errors, flushes that fail, a dead-letter topic that is missing, and one listener scaling while
 * another runs. Counts and latencies are printed as "RELIABILITY ..." lines for docs/reliability.md;
 * latencies are reported, not asserted.
 */
class MisbehavingListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final List<Streamback> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Streamback::close);
    }

    private Streamback app(String name, String streamsUrl, SimpleMeterRegistry registry) {
        Streamback app = Streamback.builder(name).streams(streamsUrl).meterRegistry(registry)
                .feedbackTimeout(Duration.ofSeconds(30)).build();
        opened.add(app);
        return app;
    }

    private static int overflow(int depth) {
        return overflow(depth + 1) + 1;
    }

    @Test
    void anErrorInOneListenerFailsItsRecordAndRpcsToAnotherTopicOnTheSameWorkerGoOn() throws Exception {
        Testkit testkit = Testkit.shared();
        String poisonTopic = Testkit.uniqueName("poison");
        String echoTopic = Testkit.uniqueName("echo");
        Streamback app = app(Testkit.uniqueName("app"), testkit.streamsUrl(), new SimpleMeterRegistry());
        app.listen(poisonTopic, (context, message) -> {
            if (message.value().path("overflow").asBoolean()) {
                overflow(0);
            }
            throw new AssertionError("poisoned " + message.value().path("id").asInt());
        });
        app.listen(echoTopic, (context, message) -> message.respond(message.value()));
        app.startAsync().get(60, TimeUnit.SECONDS);
        assertThat(app.isHealthy()).isTrue();
        Streamback client = app(Testkit.uniqueName("client"), testkit.streamsUrl(), new SimpleMeterRegistry());

        int rpcs = 300;
        rpcs(client, echoTopic, 50); // warm-up
        long[] clean = rpcs(client, echoTopic, rpcs);

        int poisons = 40;
        List<Long> errorMillis = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> poisoning = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < poisons; i++) {
                long start = System.nanoTime();
                try {
                    client.send(poisonTopic, Map.of("id", i, "overflow", i % 2 == 1)).read(WAIT);
                    errors.add("no error for " + i);
                } catch (FeedbackErrorException e) {
                    errorMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    errors.add(e.getMessage());
                }
            }
        });
        long[] poisoned = rpcs(client, echoTopic, rpcs);
        poisoning.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(errors).hasSize(poisons).allSatisfy(error ->
                assertThat(error).containsAnyOf("AssertionError: poisoned", "StackOverflowError"));
        assertThat(errors.stream().filter(error -> error.contains("StackOverflowError")).count()).isEqualTo(poisons / 2);
        List<ConsumerRecord<String, byte[]>> dead = testkit.kafka().readRecords(poisonTopic + ".dlt", poisons, WAIT);
        assertThat(dead).hasSize(poisons);
        assertThat(app.isHealthy()).as("the worker lives").isTrue();
        long maxErrorMillis = errorMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("RELIABILITY error in a listener: poison RPCs=%d (half StackOverflowError, half AssertionError)"
                        + " errors received=%d dead-lettered=%d error latency median=%d ms max=%d ms;"
                        + " echo RPCs x%d on the same worker: clean p50=%.2f ms p99=%.2f ms, during poison p50=%.2f ms p99=%.2f ms%n",
                poisons, errorMillis.size(), dead.size(), errorMillis.stream().sorted().toList().get(poisons / 2), maxErrorMillis,
                rpcs, percentile(clean, 50), percentile(clean, 99), percentile(poisoned, 50), percentile(poisoned, 99));
    }

    private static long[] rpcs(Streamback client, String topic, int count) {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            assertThat(client.send(topic, Map.of("n", i)).read(WAIT)).isPresent();
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        return micros;
    }

    private static double percentile(long[] micros, int percent) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1000.0;
    }

    /** Buffers ids until flush(); its first flushes fail, dropping the buffer as the Listener contract asks. */
    private static final class FlakyBufferingListener implements Listener {
        private final List<String> buffer = new ArrayList<>();
        private final List<String> written;
        private final AtomicInteger failuresLeft;

        FlakyBufferingListener(List<String> written, AtomicInteger failuresLeft) {
            this.written = written;
            this.failuresLeft = failuresLeft;
        }

        @Override
        public void consume(Context context, Message message) {
            buffer.add(message.value().get("id").asText());
        }

        @Override
        public void flush() {
            try {
                if (!buffer.isEmpty() && failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("store unavailable");
                }
                written.addAll(buffer);
            } finally {
                buffer.clear();
            }
        }
    }

    @Test
    void aFlushThatFailsTwiceThenWorksWritesEveryRecordExactlyOnce() throws Exception {
        Testkit testkit = Testkit.shared();
        String topic = Testkit.uniqueName("buffered");
        List<String> written = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Streamback app = app(Testkit.uniqueName("app"), testkit.streamsUrl(), registry);
        app.listen(ListenerOptions.topic(topic), () -> new FlakyBufferingListener(written, failuresLeft));
        app.startAsync().get(60, TimeUnit.SECONDS);
        Streamback client = app(Testkit.uniqueName("client"), testkit.streamsUrl(), new SimpleMeterRegistry());

        int records = 200;
        sendIds(client, topic, records);
        await().atMost(WAIT).until(() -> new HashSet<>(written).size() >= records);
        // one more flush interval: nothing is written again
        await().during(ConsumerWorker.FLUSH_INTERVAL.plusSeconds(1)).atMost(WAIT).until(() -> written.size() == records);

        double flushFailures = registry.get("streamback.flush.failures").counter().count();
        System.out.printf("RELIABILITY flush failing twice: sent=%d written=%d distinct=%d lost=%d duplicated=%d flushFailures=%.0f%n",
                records, written.size(), new HashSet<>(written).size(), records - new HashSet<>(written).size(),
                written.size() - new HashSet<>(written).size(), flushFailures);
        assertThat(written).containsExactlyInAnyOrderElementsOf(ids(records));
        assertThat(flushFailures).isEqualTo(2);
    }

    @Test
    void aMissingDeadLetterTopicPausesOnlyItsPartitionWithBackoffAndLosesNothingOnceItExists() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Closed in this order: the client and the app before the broker they use.
        try (KafkaBroker broker = KafkaBroker.builder().brokerProperty("auto.create.topics.enable", "false").start();
             Streamback app = Streamback.builder(Testkit.uniqueName("app")).streams(broker.streamsUrl())
                     .connectTimeout(Duration.ofSeconds(2)).meterRegistry(registry).build();
             Streamback client = Streamback.builder(Testkit.uniqueName("client")).streams(broker.streamsUrl()).build()) {
            String topic = Testkit.uniqueName("orders");
            String otherTopic = Testkit.uniqueName("other");
            broker.createTopic(topic, 2);
            broker.createTopic(otherTopic, 1);
            List<String> handled = new CopyOnWriteArrayList<>();
            AtomicInteger poisonCalls = new AtomicInteger();
            Listener listener = (context, message) -> {
                if (message.value().path("poison").asBoolean()) {
                    poisonCalls.incrementAndGet();
                    throw new IllegalStateException("poison");
                }
                handled.add(message.topic() + "/" + message.partition() + "/" + message.value().get("id").asText());
            };
            app.listen(ListenerOptions.topic(topic), () -> listener);
            app.listen(ListenerOptions.topic(otherTopic), () -> listener);
            app.startAsync().get(60, TimeUnit.SECONDS);

            String keyOn0 = keyFor(0, 2);
            String keyOn1 = keyFor(1, 2);
            client.send(topic, Map.of("id", "poison", "poison", true), keyOn0).sent().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                client.send(topic, Map.of("id", "a" + i), keyOn0).sent().get(30, TimeUnit.SECONDS);
                client.send(topic, Map.of("id", "b" + i), keyOn1).sent().get(30, TimeUnit.SECONDS);
                client.send(otherTopic, Map.of("id", "c" + i)).sent().get(30, TimeUnit.SECONDS);
            }
            Counter failedSends = await().atMost(WAIT).until(
                    () -> registry.find("streamback.dead.letters.failed").counter(), counter -> counter != null);
            long firstFailure = System.nanoTime();

            await().atMost(WAIT).until(() -> handled.stream().filter(id -> !id.startsWith(topic + "/0/")).count() == 10);
            Duration outage = Duration.ofSeconds(10);
            await().atMost(WAIT).until(() -> System.nanoTime() - firstFailure >= outage.toNanos());
            double attemptsDuringOutage = failedSends.count();
            assertThat(handled).as("the partition waits behind its record").noneMatch(id -> id.startsWith(topic + "/0/"));

            broker.createTopic(topic + ".dlt", 1);
            await().atMost(WAIT).until(() -> handled.stream().filter(id -> id.startsWith(topic + "/0/")).count() == 5);
            List<ConsumerRecord<String, byte[]>> dead = broker.readRecords(topic + ".dlt", 1, WAIT);

            System.out.printf("RELIABILITY dead-letter topic missing for %d s (auto-creation off): failed sends=%.0f,"
                            + " records on the other partition and topic handled=10 of 10 during the outage,"
                            + " after the topic was created: dead-lettered=%d, paused records handled=%d of 5,"
                            + " listener calls on the poison record=%d%n",
                    outage.toSeconds(), attemptsDuringOutage, dead.size(),
                    handled.stream().filter(id -> id.startsWith(topic + "/0/")).count(), poisonCalls.get());
            assertThat(attemptsDuringOutage).as("sends within the back-off schedule (1 s doubling to 30 s)")
                    .isLessThanOrEqualTo(attemptsWithin(outage.plusSeconds(2)));
            assertThat(poisonCalls).as("only the send is retried, not the listener").hasValue(1);
            assertThat(handled).hasSize(15).doesNotHaveDuplicates();
        }
    }

    /** How many sends the back-off allows within {@code elapsed}: the first, then one after each wait. */
    private static int attemptsWithin(Duration elapsed) {
        int attempts = 1;
        Duration waited = Duration.ZERO;
        while (true) {
            waited = waited.plus(Duration.ofSeconds(Math.min(30, 1L << (attempts - 1))));
            if (waited.compareTo(elapsed) > 0) {
                return attempts;
            }
            attempts++;
        }
    }

    @Test
    void scalingOneListenerFromOneToFourWorkersTakesNoPartitionFromAnother() throws Exception {
        Testkit testkit = Testkit.shared();
        String scaledTopic = Testkit.uniqueName("scaled");
        String steadyTopic = Testkit.uniqueName("steady");
        testkit.kafka().createTopic(scaledTopic, 4);
        testkit.kafka().createTopic(steadyTopic, 4);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String name = Testkit.uniqueName("app");
        Streamback app = app(name, testkit.streamsUrl(), registry);
        app.listen(ListenerOptions.topic(scaledTopic).name("scaled")
                        .concurrency(Concurrency.byLag().tier(0, 1).tier(1, 4).checkInterval(Duration.ofMillis(200))),
                (context, message) -> Thread.sleep(100)); // simulated work, so that a backlog builds up
        app.listen(ListenerOptions.topic(steadyTopic).name("steady"), (context, message) -> message.respond("ok"));
        app.startAsync().get(60, TimeUnit.SECONDS);
        Streamback client = app(Testkit.uniqueName("client"), testkit.streamsUrl(), new SimpleMeterRegistry());
        assertThat(client.send(steadyTopic, Map.of()).read(WAIT)).isPresent();
        double revokedBefore = revoked(registry, name + "-pool");

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            sent.add(client.send(scaledTopic, Map.of("i", i), keyFor(i % 4, 4)).sent());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> registry.get("streamback.listener.workers").tag("listener", "scaled").gauge().value() == 4);
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers()))) {
            await().atMost(WAIT).until(() -> admin.describeConsumerGroups(List.of(name)).all().get(10, TimeUnit.SECONDS)
                    .get(name).members().stream().filter(member -> !member.assignment().topicPartitions().isEmpty()).count() == 5);
        }
        assertThat(client.send(steadyTopic, Map.of()).read(WAIT)).isPresent();

        double revokedFromSteady = revoked(registry, name + "-pool") - revokedBefore;
        double revokedFromScaled = IntStream.rangeClosed(1, 4).mapToDouble(i -> revoked(registry, name + "-scaled-" + i)).sum();
        System.out.printf("RELIABILITY scaling one listener 1 -> 4 workers: partitions revoked from the other listener's"
                + " worker=%.0f, from the scaled listener's workers=%.0f%n", revokedFromSteady, revokedFromScaled);
        assertThat(revokedFromSteady).isZero();
        assertThat(revokedFromScaled).as("the scaled listener's partitions did move").isPositive();
    }

    private static double revoked(SimpleMeterRegistry registry, String worker) {
        Counter counter = registry.find("streamback.partitions.revoked").tag("worker", worker).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A record key that Kafka's default partitioner puts on {@code partition}. */
    /** A key that Streamback's default partitioner (CRC-32, as the Python library) puts on {@code partition}. */
    private static String keyFor(int partition, int partitions) {
        for (int i = 0; ; i++) {
            if (KeyPartitioner.CRC32.partition("key-" + i, partitions).orElseThrow() == partition) {
                return "key-" + i;
            }
        }
    }

    private static void sendIds(Streamback client, String topic, int count) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(client.send(topic, Map.of("id", Integer.toString(i))).sent());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    }

    private static Set<String> ids(int count) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(Integer.toString(i));
        }
        return ids;
    }

}
