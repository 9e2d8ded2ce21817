package io.streamback.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamback.Streamback;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.listener.Context;
import io.streamback.listener.Listener;
import io.streamback.listener.ListenerOptions;
import io.streamback.listener.Message;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ListenerStats and AutoRestart on a running Streamback. */
@StreambackTest
class ExtensionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Testkit testkit;
    private final List<Streamback> opened = new CopyOnWriteArrayList<>();
    private String topic;
    private Streamback producer;

    ExtensionsTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        topic = Testkit.uniqueName("topic");
        producer = open("producer");
    }

    @AfterEach
    void tearDown() {
        opened.forEach(Streamback::close);
    }

    private Streamback open(String name) {
        Streamback streamback = Streamback.create(name, testkit.streamsUrl());
        opened.add(streamback);
        return streamback;
    }

    @Test
    void listenerStatsReportsMemoryCountsAndLatency() throws Exception {
        BlockingQueue<ListenerStats.Stats> reports = new LinkedBlockingQueue<>();
        Streamback app = open(Testkit.uniqueName("app"))
                .listen(ListenerOptions.topic(topic).name("greeter"), (context, message) -> {
                    if (message.value().asText().equals("fail")) {
                        throw new IllegalStateException("fail");
                    }
                })
                .addCallback(new ListenerStats(Duration.ofSeconds(1)) {
                    @Override
                    protected void onStats(Stats stats) {
                        reports.add(stats);
                    }
                });
        app.startAsync().get(60, TimeUnit.SECONDS);

        producer.send(topic, "ok").read(WAIT);
        producer.send(topic, "ok").read(WAIT);
        assertThatThrownBy(() -> producer.send(topic, "fail").read(WAIT)).isInstanceOf(FeedbackErrorException.class);

        ListenerStats.Stats report = null;
        while (report == null || !report.listeners().containsKey("greeter")
                || report.listeners().get("greeter").consumed() < 3) {
            report = reports.poll(10, TimeUnit.SECONDS);
            assertThat(report).as("a stats report every second").isNotNull();
        }
        assertThat(report.rssBytes()).isPositive();
        assertThat(report.heapUsedBytes()).isPositive();
        ListenerStats.ListenerCounts greeter = report.listeners().get("greeter");
        assertThat(greeter.consumed()).isEqualTo(3);
        assertThat(greeter.failed()).isEqualTo(1);
        assertThat(greeter.maxLatency()).isGreaterThanOrEqualTo(greeter.meanLatency());
    }

    /** Counts its instances and flushes, like the batching logs consumer. */
    static final class Batcher implements Listener {
        static final AtomicInteger INSTANCES = new AtomicInteger();
        static final AtomicInteger FLUSHES = new AtomicInteger();

        Batcher() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public void consume(Context context, Message message) {
        }

        @Override
        public void flush() {
            FLUSHES.incrementAndGet();
        }
    }

    @Test
    void autoRestartRecyclesWorkersByAge() throws Exception {
        Batcher.INSTANCES.set(0);
        Batcher.FLUSHES.set(0);
        AtomicInteger workerStarts = new AtomicInteger();
        Streamback app = open(Testkit.uniqueName("app"))
                .listen(ListenerOptions.topic(topic), Batcher::new)
                .addCallback(new Callback() {
                    @Override
                    public void onWorkerStart(String workerName) {
                        workerStarts.incrementAndGet();
                    }
                })
                .addCallback(new AutoRestart(Duration.ofSeconds(1), 0));
        app.startAsync().get(60, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> workerStarts.get() >= 3);
        assertThat(Batcher.INSTANCES.get()).isGreaterThanOrEqualTo(3);
        assertThat(Batcher.FLUSHES.get()).as("each retired instance was flushed").isGreaterThanOrEqualTo(2);
        assertThat(producer.send(topic, "still listening").read(WAIT)).isEmpty();
    }

    @Test
    void autoRestartStopsWithMemoryLimitExceededWhenRecyclingDoesNotHelp() throws Exception {
        AtomicInteger workerStarts = new AtomicInteger();
        Streamback app = open(Testkit.uniqueName("app"))
                .listen(topic, (context, message) -> { })
                .addCallback(new Callback() {
                    @Override
                    public void onWorkerStart(String workerName) {
                        workerStarts.incrementAndGet();
                    }
                })
                .addCallback(new AutoRestart(null, 1));

        CompletableFuture<Void> running = CompletableFuture.runAsync(app::start);

        assertThatThrownBy(() -> running.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(MemoryLimitExceededException.class)
                .hasMessageContaining("above the limit of 1 MB");
        assertThat(workerStarts).as("recycled once before giving up").hasValue(2);
        assertThat(MemoryLimitExceededException.EXIT_CODE).isEqualTo(75);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new ListenerStats(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AutoRestart(Duration.ofSeconds(-1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AutoRestart(null, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMemoryMb");
    }
}
