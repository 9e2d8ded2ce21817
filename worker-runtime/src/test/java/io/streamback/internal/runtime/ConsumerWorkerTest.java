package io.streamback.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamback.internal.feedback.FeedbackWriter;
import io.streamback.internal.metrics.ListenerMetrics;
import io.streamback.internal.tracing.StreambackTracing;
import io.streamback.internal.wire.WireFormat;
import io.streamback.listener.Concurrency;
import io.streamback.listener.Context;
import io.streamback.listener.Listener;
import io.streamback.listener.ListenerDefinition;
import io.streamback.listener.Message;
import io.streamback.listener.RetryStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer core's states, driven turn by turn on kafka-clients' {@link MockConsumer}: the test
 * thread (or, where a listener blocks, a thread of the test) is the polling thread and runs the
 * listeners; the worker's keeper polls while a batch takes long.
 */
class ConsumerWorkerTest {
    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** A log the consumer reads from its position on every poll, so a seek back delivers again, as a broker does. */
    private static final class ReplayingConsumer extends MockConsumer<String, byte[]> {
        private final Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> log = new HashMap<>();
        final Set<String> committingThreads = ConcurrentHashMap.newKeySet();
        private final Map<TopicPartition, Long> committedOffsets = new ConcurrentHashMap<>();

        ReplayingConsumer() {
            super(AutoOffsetResetStrategy.EARLIEST.name());
        }

        synchronized void append(TopicPartition partition, int count) {
            List<ConsumerRecord<String, byte[]>> records = log.computeIfAbsent(partition, p -> new ArrayList<>());
            for (int i = 0; i < count; i++) {
                int offset = records.size();
                records.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k",
                        WireFormat.encodeMessage(Map.of("partition", partition.partition(), "offset", offset), null, "test")));
            }
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            for (TopicPartition partition : assignment()) {
                long position = position(partition);
                log.getOrDefault(partition, List.of()).stream()
                        .filter(record -> record.offset() >= position)
                        .forEach(this::addRecord);
            }
            return super.poll(timeout);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            committingThreads.add(Thread.currentThread().getName());
            offsets.forEach((partition, offset) -> committedOffsets.put(partition, offset.offset()));
            super.commitSync(offsets);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            committingThreads.add(Thread.currentThread().getName());
            offsets.forEach((partition, offset) -> committedOffsets.put(partition, offset.offset()));
            super.commitAsync(offsets, callback);
        }

        /** MockConsumer's committed() answers 0 for a partition no longer assigned: keep our own record. */
        Long committedOffset(TopicPartition partition) {
            return committedOffsets.get(partition);
        }
    }

    /** Every record a listener was handed, as "partition@offset". */
    private final List<String> consumed = new CopyOnWriteArrayList<>();
    private final List<String> deadLettered = new CopyOnWriteArrayList<>();
    private final ListenerMetrics metrics = new ListenerMetrics(new SimpleMeterRegistry());
    private final ReplayingConsumer kafka = new ReplayingConsumer();
    private ConsumerWorker worker;

    private Thread polling;
    private volatile boolean stopPolling;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (polling != null) {
            stopPolling = true;
            polling.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (worker != null) {
            worker.finish(kafka);
        }
    }

    /** Turns the polling thread in the background, for tests whose listeners block until the test releases them. */
    private void pollInBackground() {
        polling = new Thread(() -> {
            while (!stopPolling) {
                worker.pollOnce(kafka);
            }
        }, "polling");
        polling.start();
    }

    private ConsumerWorker worker(Listener listener, DeadLetterSink deadLetters, Duration flushInterval) {
        return worker(listener, deadLetters, flushInterval, Duration.ofSeconds(10));
    }

    private ConsumerWorker worker(Listener listener, DeadLetterSink deadLetters, Duration flushInterval,
                                  Duration shutdownTimeout) {
        ListenerDefinition definition = new ListenerDefinition("orders-listener", List.of(TOPIC), Concurrency.fixed(0),
                Optional.of(RetryStrategy.none()), () -> listener);
        Callbacks callbacks = new Callbacks();
        RecordDispatcher dispatcher = new RecordDispatcher(null, List.of(definition), RetryStrategy.none(),
                new FeedbackWriter(null, "test", Duration.ofMinutes(1), metrics), callbacks, metrics, deadLetters,
                StreambackTracing.disabled().listeners("test"));
        worker = new ConsumerWorker("test-worker", () -> kafka, Set.of(TOPIC), dispatcher, callbacks, metrics,
                shutdownTimeout, Duration.ofMillis(600), flushInterval);
        worker.subscribe(kafka);
        kafka.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        kafka.rebalance(List.of(P0, P1));
        return worker;
    }

    private static String id(Message message) {
        return message.partition() + "@" + message.offset();
    }

    private DeadLetterSink keepingDeadLetters() {
        return (record, error) -> deadLettered.add(record.partition() + "@" + record.offset() + " " + error);
    }

    /** Turns the polling thread until {@code done}; each turn is one poll of the consumer. */
    private void turnUntil(java.util.function.BooleanSupplier done) {
        await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
            worker.pollOnce(kafka);
            return done.getAsBoolean();
        });
    }

    @Test
    void aBatchIsHandledOnceAndCommittedFromThePollingThread() {
        worker((context, message) -> consumed.add(id(message)), keepingDeadLetters(), Duration.ofSeconds(5));
        kafka.append(P0, 3);
        kafka.append(P1, 2);

        turnUntil(() -> Long.valueOf(3).equals(kafka.committedOffset(P0)) && Long.valueOf(2).equals(kafka.committedOffset(P1)));

        assertThat(consumed).containsExactlyInAnyOrder("0@0", "0@1", "0@2", "1@0", "1@1");
        assertThat(kafka.committingThreads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aLongBatchPausesThePartitionsWhileTheWorkerKeepsPollingAndResumesThemWhenDone() {
        CountDownLatch release = new CountDownLatch(1);
        worker((context, message) -> {
            consumed.add(id(message));
            release.await(20, TimeUnit.SECONDS);
        }, keepingDeadLetters(), Duration.ofSeconds(5));
        kafka.append(P0, 1);
        pollInBackground();

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.paused().containsAll(List.of(P0, P1)));
        assertThat(consumed).as("paused while the listener runs").containsExactly("0@0");
        long lastPoll = worker.lastPollNanos();
        await().atMost(Duration.ofSeconds(5)).until(() -> worker.lastPollNanos() > lastPoll);
        assertThat(kafka.committedOffset(P0)).isNull();

        release.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> Long.valueOf(1).equals(kafka.committedOffset(P0)));
        await().atMost(Duration.ofSeconds(5)).until(() -> kafka.paused().isEmpty());
        assertThat(kafka.committingThreads).as("the thread holding the consumer commits")
                .isNotEmpty().isSubsetOf("polling", "streamback-test-worker-keeper");
    }

    @Test
    void aListenerThatDoesNotReturnAfterStopIsAbandonedWithWhatWasDoneCommittedAndTheConsumerClosed() {
        CountDownLatch release = new CountDownLatch(1);
        worker((context, message) -> {
            consumed.add(id(message));
            if (message.offset() == 2) {
                release.await(60, TimeUnit.SECONDS);
            }
        }, keepingDeadLetters(), Duration.ofSeconds(5), Duration.ofSeconds(1));
        kafka.append(P0, 4);
        pollInBackground();
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.paused().contains(P0));

        long stopped = System.nanoTime();
        worker.stop();
        await().atMost(Duration.ofSeconds(20)).until(kafka::closed);

        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).as("abandoned after the shutdown timeout")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(kafka.committedOffset(P0)).as("what was done before the stuck record").isEqualTo(2);
        stopPolling = true;
        release.countDown();
        assertThat(consumed).doesNotContain("0@3");
    }

    @Test
    void anErrorFromAListenerFailsItsRecordLikeAnExceptionAndTheWorkerGoesOn() {
        worker((context, message) -> {
            consumed.add(id(message));
            if (message.offset() == 1) {
                throw new AssertionError("broken invariant");
            }
            if (message.offset() == 2) {
                throw new StackOverflowError();
            }
        }, keepingDeadLetters(), Duration.ofSeconds(5));
        kafka.append(P0, 4);

        turnUntil(() -> Long.valueOf(4).equals(kafka.committedOffset(P0)));

        assertThat(consumed).containsExactly("0@0", "0@1", "0@2", "0@3");
        assertThat(deadLettered).containsExactly("0@1 AssertionError: broken invariant", "0@2 StackOverflowError");
        assertThat(metrics.registry().get("streamback.records.failed").counter().count()).isEqualTo(2);
    }

    /** A listener that buffers until flush() and writes out the buffer there; its first flushes fail (and drop the buffer). */
    private static final class BufferingListener implements Listener {
        final List<String> buffer = new ArrayList<>();
        final List<String> written = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft;

        BufferingListener(int failures) {
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public void consume(Context context, Message message) {
            buffer.add(id(message));
        }

        @Override
        public void flush() {
            try {
                if (!buffer.isEmpty() && failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("database unavailable");
                }
                written.addAll(buffer);
            } finally {
                buffer.clear();
            }
        }
    }

    @Test
    void aFailingFlushCommitsNothingPastTheLastFlushAndDeliversItsRecordsAgain() {
        BufferingListener listener = new BufferingListener(2);
        worker(listener, keepingDeadLetters(), Duration.ZERO);
        kafka.append(P0, 5);

        List<Long> committedWhileFailing = new ArrayList<>();
        turnUntil(() -> {
            if (listener.failuresLeft.get() > 0 || listener.written.isEmpty()) {
                committedWhileFailing.add(kafka.committedOffset(P0));
            }
            return Long.valueOf(5).equals(kafka.committedOffset(P0));
        });

        assertThat(committedWhileFailing).as("nothing committed before a flush succeeded").containsOnlyNulls();
        assertThat(listener.written).as("every record written exactly once").containsExactly("0@0", "0@1", "0@2", "0@3", "0@4");
        assertThat(metrics.registry().get("streamback.flush.failures").counter().count()).isEqualTo(2);
    }

    @Test
    void recordsOfABufferingListenerAreCommittedOnlyOnceFlushed() {
        BufferingListener listener = new BufferingListener(0);
        worker(listener, keepingDeadLetters(), Duration.ofHours(1));
        kafka.append(P0, 3);

        turnUntil(() -> listener.buffer.size() == 3);
        for (int turn = 0; turn < 5; turn++) {
            worker.pollOnce(kafka);
        }
        assertThat(kafka.committedOffset(P0)).as("buffered, not flushed: not committed").isNull();

        worker.finish(kafka);
        worker = null;
        assertThat(listener.written).containsExactly("0@0", "0@1", "0@2");
        assertThat(kafka.committedOffset(P0)).isEqualTo(3);
    }

    @Test
    void aDeadLetterThatCannotBeSentPausesItsPartitionWithBackoffWhileTheOthersGoOn() {
        AtomicInteger attempts = new AtomicInteger();
        List<Long> attemptNanos = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(3);
        worker((context, message) -> {
            consumed.add(id(message));
            if (message.partition() == 0 && message.offset() == 1) {
                throw new IllegalStateException("poison");
            }
        }, (record, error) -> {
            attempts.incrementAndGet();
            attemptNanos.add(System.nanoTime());
            return failuresLeft.getAndDecrement() <= 0 && deadLettered.add(record.partition() + "@" + record.offset());
        }, Duration.ofSeconds(5));
        kafka.append(P0, 4);
        kafka.append(P1, 3);

        long start = System.nanoTime();
        turnUntil(() -> Long.valueOf(3).equals(kafka.committedOffset(P1)) && attempts.get() >= 2);
        assertThat(kafka.committedOffset(P0)).as("up to the record waiting for its dead letter").isEqualTo(1);
        assertThat(kafka.paused()).contains(P0);
        assertThat(attempts.get()).as("attempts within the back-off schedule, not a hot loop")
                .isLessThanOrEqualTo(maxAttemptsWithin(Duration.ofNanos(System.nanoTime() - start)));

        turnUntil(() -> Long.valueOf(4).equals(kafka.committedOffset(P0)));

        assertThat(deadLettered).containsExactly("0@1");
        assertThat(consumed).as("the listeners ran once per record; only the send was retried")
                .containsExactlyInAnyOrder("0@0", "0@1", "0@2", "0@3", "1@0", "1@1", "1@2");
        assertThat(attempts).hasValue(4);
        for (int i = 1; i < attemptNanos.size(); i++) {
            assertThat(attemptNanos.get(i) - attemptNanos.get(i - 1)).as("wait before attempt " + (i + 1))
                    .isGreaterThanOrEqualTo(ConsumerWorker.deadLetterBackoff(i).toNanos());
        }
        assertThat(kafka.paused()).doesNotContain(P0);
    }

    /** How many sends the back-off schedule allows in {@code elapsed}: the first, then one per wait. */
    private static int maxAttemptsWithin(Duration elapsed) {
        int attempts = 1;
        Duration waited = Duration.ZERO;
        while (true) {
            waited = waited.plus(ConsumerWorker.deadLetterBackoff(attempts));
            if (waited.compareTo(elapsed) > 0) {
                return attempts;
            }
            attempts++;
        }
    }

    @Test
    void backoffDoublesFromOneSecondUpToThirty() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 50).stream().map(ConsumerWorker::deadLetterBackoff).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void partitionsRevokedMidBatchAreNotHandledFurtherNorCommittedPastWhatWasDone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        worker((context, message) -> {
            consumed.add(id(message));
            if (message.partition() == 0 && message.offset() == 1) {
                blocking.countDown();
                release.await(20, TimeUnit.SECONDS);
            }
        }, keepingDeadLetters(), Duration.ofSeconds(5));
        kafka.append(P0, 5);
        kafka.append(P1, 3);
        pollInBackground();

        assertThat(blocking.await(20, TimeUnit.SECONDS)).isTrue();
        Thread rebalance = new Thread(() -> kafka.rebalance(List.of(P1)), "rebalance");
        rebalance.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> rebalance.getState() == Thread.State.TIMED_WAITING);
        release.countDown();
        rebalance.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(kafka.committedOffset(P0)).as("committed on revocation: what was done before it").isEqualTo(2);

        await().atMost(Duration.ofSeconds(20)).until(() -> Long.valueOf(3).equals(kafka.committedOffset(P1)));
        assertThat(consumed).as("no record of the revoked partition after the one in hand")
                .doesNotContain("0@2", "0@3", "0@4").contains("1@0", "1@1", "1@2");
        assertThat(kafka.committedOffset(P0)).isEqualTo(2);
        assertThat(kafka.committingThreads).as("only the threads that hold the consumer commit, also inside a rebalance")
                .isSubsetOf("polling", "streamback-test-worker-keeper", "rebalance");
    }
}
