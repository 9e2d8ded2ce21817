package io.streamback.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * One Kafka consumer in the application's group, on its own thread: polls, dispatches each
 * record, and commits a record's offset only after its listeners are done (at-least-once).
 * Commits are asynchronous after each batch and synchronous when partitions are revoked or
 * the worker stops, so a graceful stop commits everything handled and nothing more.
 */
public final class ConsumerWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final String name;
    private final Properties consumerProperties;
    private final Set<String> topics;
    private final RecordDispatcher dispatcher;
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private volatile boolean stopping;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public ConsumerWorker(String name, Properties consumerProperties, Set<String> topics, RecordDispatcher dispatcher) {
        this.name = name;
        this.consumerProperties = consumerProperties;
        this.topics = Set.copyOf(topics);
        this.dispatcher = dispatcher;
    }

    public String name() {
        return name;
    }

    /** Completes once the group has given this worker its first partitions. */
    public CompletableFuture<Void> assigned() {
        return assigned;
    }

    /** Asks the worker to stop after the record in hand; {@link #run()} then commits and returns. */
    public void stop() {
        stopping = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerProperties)) {
            consumer = kafka;
            kafka.subscribe(topics, new CommitOnRevoke(kafka));
            log.info("Worker {} listening on {}", name, topics);
            while (!stopping) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = kafka.poll(POLL_TIMEOUT);
                } catch (WakeupException e) {
                    break;
                }
                handleBatch(kafka, records);
            }
            commitHandled(kafka);
            log.info("Worker {} stopped", name);
        } finally {
            assigned.completeExceptionally(new IllegalStateException("worker " + name + " stopped before it got partitions"));
        }
    }

    private void handleBatch(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> batch = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (stopping) {
                break; // not handled, so not committed: the next owner of the partition gets it
            }
            dispatcher.dispatch(record);
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            OffsetAndMetadata next = new OffsetAndMetadata(record.offset() + 1);
            batch.put(partition, next);
            handled.put(partition, next);
        }
        if (!batch.isEmpty()) {
            kafka.commitAsync(batch, (offsets, error) -> {
                if (error != null) {
                    log.warn("Worker {}: offset commit failed, will retry with the next one: {}", name, error.toString());
                }
            });
        }
    }

    private void commitHandled(KafkaConsumer<String, byte[]> kafka) {
        for (int attempt = 0; attempt < 2 && !handled.isEmpty(); attempt++) {
            try {
                kafka.commitSync(handled);
                handled.clear();
            } catch (WakeupException e) {
                // stop() woke a consumer that had already returned from poll; the wakeup is spent now
            } catch (KafkaException e) {
                log.warn("Worker {}: final offset commit failed; records after the last commit will be delivered again: {}",
                        name, e.toString());
                return;
            }
        }
    }

    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> kafka;

        CommitOnRevoke(KafkaConsumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = handled.remove(partition);
                if (offset != null) {
                    revoked.put(partition, offset);
                }
            }
            if (!revoked.isEmpty()) {
                try {
                    kafka.commitSync(revoked);
                } catch (KafkaException e) {
                    log.warn("Worker {}: commit on revoke failed: {}", name, e.toString());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Worker {} assigned {}", name, partitions);
            assigned.complete(null);
        }
    }
}
