package io.streamback;

import static io.streamback.StreambackFixture.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamback.listener.Concurrency;
import io.streamback.listener.ListenerOptions;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Listeners with concurrency tiers on the real broker: the workers follow the group's lag up
 * through the tiers and back down, never more than the topic's partitions, no record is lost or
 * handled twice on the way, and a lag that can't be read (broker down) changes nothing.
 */
@StreambackTest
class LagScalingTest {
    private static final Duration CHECK = Duration.ofMillis(200);
    private static final Duration MIN_LIFETIME = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Testkit testkit;
    private StreambackFixture apps;
    private Streamback producer;
    private Admin admin;
    private final CountDownLatch release = new CountDownLatch(1);

    LagScalingTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        apps = new StreambackFixture(testkit);
        producer = apps.app("producer");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers()));
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        apps.close();
        admin.close();
    }

    @Test
    void workersGoUpThroughTheTiersAndBackDownAfterTheBacklogDrains() throws Exception {
        String topic = Testkit.uniqueName("lag");
        testkit.kafka().createTopic(topic, 6);
        List<Integer> handled = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> perWorker = new ConcurrentHashMap<>();
        Streamback app = started(apps.app(Testkit.uniqueName("scaled"), "", builder -> builder
                        // The group notices members joining within half a second rather than three.
                        .kafkaProperty("heartbeat.interval.ms", "500"))
                .listen(ListenerOptions.topic(topic).name("orders")
                                .concurrency(Concurrency.byLag().tier(0, 1).tier(50, 2).tier(200, 4)
                                        .checkInterval(CHECK).minWorkerLifetime(MIN_LIFETIME)),
                        (context, message) -> {
                            // Held until the test lets go, so the backlog stays while the workers grow.
                            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                            Thread.sleep(20); // the work itself, so that draining takes a while
                            handled.add(message.value().get("id").asInt());
                            perWorker.computeIfAbsent(Thread.currentThread().getName(), name -> new AtomicInteger())
                                    .incrementAndGet();
                        }));
        assertThat(workers(app)).isEqualTo(1);
        long start = System.nanoTime();

        send(topic, 0, 100);
        await().atMost(WAIT).until(() -> lag(app) == 100 && workers(app) == 2);
        long atTwo = System.nanoTime();

        send(topic, 100, 300);
        await().atMost(WAIT).until(() -> lag(app) == 300 && workers(app) == 4);
        long atFour = System.nanoTime();

        release.countDown();
        long released = System.nanoTime();
        await().atMost(WAIT).until(() -> groupMembers(app) == 4);
        await().atMost(WAIT).until(() -> handled.size() >= 300 && lag(app) == 0);
        long drained = System.nanoTime();
        await().atMost(WAIT).until(() -> workers(app) == 1);
        long atOne = System.nanoTime();
        await().atMost(WAIT).until(() -> groupMembers(app) == 1);
        // Nothing comes again after the removed workers handed their partitions over.
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> handled.size() == 300 && lag(app) == 0);

        System.out.printf("SCALING tiers 0->1, 50->2, 200->4 (check %d ms, min lifetime %d s): 2 workers %d ms after"
                        + " sending 100 records began, 4 workers %d ms after sending 200 more began, drained %d ms"
                        + " after release, back to 1 worker %d ms after draining; records per worker %s%n",
                CHECK.toMillis(), MIN_LIFETIME.toSeconds(), millis(start, atTwo), millis(atTwo, atFour),
                millis(released, drained), millis(drained, atOne), perWorker);
        assertThat(handled).as("every record handled exactly once")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 300).boxed().toList());
        assertThat(perWorker).as("the 4 workers shared the backlog").hasSize(4);
        assertThat(millis(released, atOne)).as("workers removed only after the lag stayed low for the minimum lifetime")
                .isGreaterThanOrEqualTo(MIN_LIFETIME.toMillis());
    }

    @Test
    void neverMoreWorkersThanPartitions() throws Exception {
        String topic = Testkit.uniqueName("lag-cap");
        testkit.kafka().createTopic(topic, 2);
        List<Integer> handled = new CopyOnWriteArrayList<>();
        Streamback app = started(apps.app(Testkit.uniqueName("capped")).listen(ListenerOptions.topic(topic).name("orders")
                        .concurrency(Concurrency.byLag().tier(0, 1).tier(10, 5).checkInterval(CHECK)),
                (context, message) -> {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    handled.add(message.value().get("id").asInt());
                }));

        send(topic, 0, 30);
        await().atMost(WAIT).until(() -> lag(app) == 30 && workers(app) == 2);
        // The tier asks for 5; several checks later there are still only as many workers as partitions.
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> workers(app) == 2);

        release.countDown();
        await().atMost(WAIT).until(() -> handled.size() >= 30 && lag(app) == 0);
        assertThat(handled).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 30).boxed().toList());
    }

    @Test
    void whileTheLagCannotBeReadTheWorkersStayAndScalingResumesAfterwards() throws Exception {
        try (Testkit own = Testkit.start();
             Streamback client = Streamback.create("client", own.streamsUrl());
             Streamback app = Streamback.builder(Testkit.uniqueName("unreadable")).streams(own.streamsUrl())
                     .connectTimeout(Duration.ofSeconds(2)).build()) {
            String topic = Testkit.uniqueName("lag-down");
            own.kafka().createTopic(topic, 2);
            app.listen(ListenerOptions.topic(topic).name("orders")
                            .concurrency(Concurrency.byLag().tier(0, 1).tier(10, 2).checkInterval(CHECK)),
                    (context, message) -> release.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            started(app);
            await().atMost(WAIT).until(() -> lag(app) == 0);

            own.kafka().stop();
            await().atMost(WAIT).until(() -> Double.isNaN(lag(app)));
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> workers(app) == 1 && Double.isNaN(lag(app)));
            own.kafka().restart();

            await().atMost(WAIT).until(() -> lag(app) == 0);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int id = 0; id < 20; id++) {
                sent.add(client.send(topic, Map.of("id", id), "id-" + id).sent());
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> lag(app) == 20 && workers(app) == 2);
            release.countDown();
        }
    }

    /** Sends records {@code from} to {@code to} (exclusive), keyed so they spread over the partitions. */
    private void send(String topic, int from, int to) throws Exception {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int id = from; id < to; id++) {
            sent.add(producer.send(topic, Map.of("id", id), "id-" + id).sent());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static int workers(Streamback app) {
        return (int) app.meterRegistry().get("streamback.listener.workers").tag("listener", "orders").gauge().value();
    }

    private static double lag(Streamback app) {
        return app.meterRegistry().get("streamback.listener.lag").tag("listener", "orders").gauge().value();
    }

    /** The consumers in the application's group, as the broker sees them. */
    private int groupMembers(Streamback app) throws Exception {
        return admin.describeConsumerGroups(List.of(app.name())).all().get(10, TimeUnit.SECONDS)
                .get(app.name()).members().size();
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
