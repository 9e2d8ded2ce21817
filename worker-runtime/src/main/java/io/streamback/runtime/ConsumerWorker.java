package io.streamback.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka consumer in the application's group. Its own thread polls; a second thread runs
 * the listeners on each batch. A batch that takes longer than a moment has its partitions
 * paused while the consumer goes on polling, so the worker stays in the group however slow a
 * listener is. Quick batches skip the pause: resuming a paused partition can wait for a fetch
 * already in flight (up to {@code fetch.max.wait.ms}), which would slow every RPC.
 *
 * <p>A record's offset is committed only after its listeners are done (at-least-once):
 * asynchronously after each batch, synchronously on rebalance and on stop. Before those
 * synchronous commits the listeners are flushed. A graceful stop finishes the record in hand
 * and hands the rest of the batch back uncommitted, so nothing is lost or handled twice.
 */
public final class ConsumerWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** How long a batch may run before its partitions are paused, at most. */
    private static final Duration PAUSE_AFTER = Duration.ofSeconds(1);
    /** How long an end marker may wait to share a Redis round trip with the next ones. */
    private static final Duration END_MARKER_DELAY = Duration.ofMillis(20);

    /** What a batch's handling got through: per partition, the next offset to commit and the first not handled. */
    private record BatchResult(Map<TopicPartition, OffsetAndMetadata> handled, Map<TopicPartition, Long> unhandled) {
    }

    private final String name;
    private final Properties consumerProperties;
    private final Set<String> topics;
    private final RecordDispatcher dispatcher;
    private final Callbacks callbacks;
    private final MeterRegistry registry;
    private final Duration shutdownTimeout;
    private final Duration pauseAfter;
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private final ExecutorService handlerThread;
    private volatile boolean stopping;
    private volatile boolean stopBatch;
    private volatile boolean pollingBesideBatch;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Future<BatchResult> inFlight;

    public ConsumerWorker(String name, Properties consumerProperties, Set<String> topics, RecordDispatcher dispatcher,
                          Callbacks callbacks, MeterRegistry registry, Duration shutdownTimeout) {
        this.name = name;
        this.consumerProperties = consumerProperties;
        this.topics = Set.copyOf(topics);
        this.dispatcher = dispatcher;
        this.callbacks = callbacks;
        this.registry = registry;
        this.shutdownTimeout = shutdownTimeout;
        long maxPollInterval = Long.parseLong(String.valueOf(consumerProperties.getOrDefault(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "300000")));
        this.pauseAfter = Duration.ofMillis(Math.min(PAUSE_AFTER.toMillis(), maxPollInterval / 3));
        this.handlerThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streamback-" + name + "-handler");
            thread.setDaemon(true);
            return thread;
        });
    }

    public String name() {
        return name;
    }

    public Set<String> topics() {
        return topics;
    }

    /** Completes once the group has given this worker its first partitions. */
    public CompletableFuture<Void> assigned() {
        return assigned;
    }

    /** Nanotime of the last return from poll: the worker is alive while this keeps moving. */
    public long lastPollNanos() {
        return lastPollNanos;
    }

    /** Asks the worker to stop after the record in hand; {@link #run()} then flushes, commits and returns. */
    public void stop() {
        stopping = true;
        stopBatch = true;
        wakeUp();
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerProperties);
             KafkaClientMetrics kafkaMetrics = new KafkaClientMetrics(kafka)) {
            consumer = kafka;
            kafkaMetrics.bindTo(registry);
            callbacks.workerStarted(name);
            kafka.subscribe(topics, new OnRebalance(kafka));
            log.info("Worker {} listening on {}", name, topics);
            while (!stopping) {
                if (inFlight != null && inFlight.isDone()) {
                    completeBatch(kafka, awaitBatch(Duration.ZERO));
                }
                ConsumerRecords<String, byte[]> records = ConsumerRecords.empty();
                try {
                    records = kafka.poll(POLL_TIMEOUT);
                } catch (WakeupException e) {
                    // the handler finished a paused batch, or stop() was called
                }
                lastPollNanos = System.nanoTime();
                if (inFlight != null && inFlight.isDone()) {
                    completeBatch(kafka, awaitBatch(Duration.ZERO));
                }
                if (!records.isEmpty()) {
                    startBatch(kafka, records);
                }
            }
            if (inFlight != null) {
                completeBatch(kafka, awaitBatch(shutdownTimeout));
            }
            dispatcher.flushAll();
            commitSync(kafka, handled);
            handled.clear();
            log.info("Worker {} stopped", name);
        } finally {
            handlerThread.shutdown();
            assigned.completeExceptionally(new IllegalStateException("worker " + name + " stopped before it got partitions"));
        }
    }

    private void startBatch(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
        if (inFlight != null) {
            // Only after a rebalance can records come while a batch runs: give them back for later.
            for (TopicPartition partition : records.partitions()) {
                kafka.seek(partition, records.records(partition).get(0).offset());
            }
            kafka.pause(records.partitions());
            return;
        }
        stopBatch = stopping;
        inFlight = handlerThread.submit(() -> handle(records));
        try {
            inFlight.get(pauseAfter.toMillis(), TimeUnit.MILLISECONDS);
            completeBatch(kafka, awaitBatch(Duration.ZERO));
        } catch (TimeoutException e) {
            kafka.pause(kafka.assignment());
            pollingBesideBatch = true;
        } catch (ExecutionException e) {
            completeBatch(kafka, awaitBatch(Duration.ZERO));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kafka.pause(kafka.assignment());
            pollingBesideBatch = true;
        }
    }

    /** Runs on the handler thread. */
    private BatchResult handle(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        Map<TopicPartition, Long> notDone = new HashMap<>();
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (notDone.containsKey(partition)) {
                    continue;
                }
                if (stopBatch || !dispatcher.dispatch(record)) {
                    notDone.put(partition, record.offset());
                    continue;
                }
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                if (dispatcher.endMarkersWaiting().compareTo(END_MARKER_DELAY) >= 0) {
                    dispatcher.pushEndMarkers();
                }
            }
            dispatcher.pushEndMarkers();
        } finally {
            if (pollingBesideBatch) {
                wakeUp();
            }
        }
        return new BatchResult(done, notDone);
    }

    private BatchResult awaitBatch(Duration timeout) {
        try {
            return inFlight.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Worker {}: the listeners did not finish their record within {} s; it will be delivered again",
                    name, timeout.toSeconds());
            return new BatchResult(Map.of(), Map.of());
        } catch (ExecutionException e) {
            // Listener exceptions never get here; an Error does, and takes the worker down to be restarted.
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Worker " + name + ": handling a batch failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BatchResult(Map.of(), Map.of());
        } finally {
            inFlight = null;
            pollingBesideBatch = false;
            stopBatch = stopping;
        }
    }

    private void completeBatch(KafkaConsumer<String, byte[]> kafka, BatchResult result) {
        Set<TopicPartition> assignment = kafka.assignment();
        result.unhandled().forEach((partition, offset) -> {
            if (assignment.contains(partition)) {
                kafka.seek(partition, offset);
            }
        });
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        result.handled().forEach((partition, offset) -> {
            if (assignment.contains(partition)) {
                toCommit.put(partition, offset);
            }
        });
        handled.putAll(toCommit);
        if (!toCommit.isEmpty()) {
            kafka.commitAsync(toCommit, (offsets, error) -> {
                if (error != null) {
                    log.warn("Worker {}: offset commit failed; the next commit covers it: {}", name, error.toString());
                }
            });
        }
        kafka.resume(kafka.paused());
    }

    private void commitSync(KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, OffsetAndMetadata> offsets) {
        for (int attempt = 0; attempt < 2 && !offsets.isEmpty(); attempt++) {
            try {
                kafka.commitSync(offsets);
                return;
            } catch (WakeupException e) {
                // a wakeup raced this call and is spent now; try once more
            } catch (KafkaException e) {
                log.warn("Worker {}: offset commit failed; records after the last commit will be delivered again: {}",
                        name, e.toString());
                return;
            }
        }
    }

    private void wakeUp() {
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Runs inside poll, on the consumer thread. */
    private final class OnRebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> kafka;

        OnRebalance(KafkaConsumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            finishBatchBeforeHandingOver();
            dispatcher.flushAll();
            Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = handled.remove(partition);
                if (offset != null) {
                    revoked.put(partition, offset);
                }
            }
            commitSync(kafka, revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            finishBatchBeforeHandingOver();
            partitions.forEach(handled::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Worker {} assigned {}", name, partitions);
            if (inFlight != null) {
                kafka.pause(partitions);
            }
            assigned.complete(null);
        }

        /** Another worker may own these partitions next: never let two handle a record at once. */
        private void finishBatchBeforeHandingOver() {
            if (inFlight != null) {
                stopBatch = true;
                completeBatch(kafka, awaitBatch(shutdownTimeout));
            }
        }
    }

    @Override
    public String toString() {
        return "ConsumerWorker[" + name + " on " + List.copyOf(topics) + "]";
    }
}
