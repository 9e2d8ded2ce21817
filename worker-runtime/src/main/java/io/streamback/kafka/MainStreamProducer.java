package io.streamback.kafka;

import io.streamback.StreamUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes main stream records. Thread-safe: one Kafka producer shared by every sender. */
public final class MainStreamProducer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MainStreamProducer.class);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClients clients;
    private final String servers;

    /** @throws StreamUnavailableException when none of the bootstrap servers' names resolves */
    public MainStreamProducer(KafkaClients clients, String clientId) {
        this.clients = clients;
        this.servers = clients.endpoint().bootstrapServers();
        try {
            this.producer = new KafkaProducer<>(clients.producer(clientId));
        } catch (KafkaException e) {
            throw new StreamUnavailableException("Kafka " + servers + " is unreachable: " + e.getMessage(), e);
        }
    }

    /**
     * Sends one record.
     *
     * @return completes when the broker has it
     * @throws StreamUnavailableException when the broker could not be reached within the connect timeout
     */
    public CompletableFuture<Void> send(String topic, String key, byte[] value) {
        return send(new ProducerRecord<>(topic, key, value));
    }

    /** Sends one record as given, headers included (e.g. a dead letter). */
    public CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
        String topic = record.topic();
        Optional<String> missing = clients.missingSecurity();
        if (missing.isPresent()) {
            throw new StreamUnavailableException("Could not send to topic '" + topic + "' on Kafka " + servers + ": "
                    + missing.get());
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    sent.complete(null);
                } else {
                    log.error("Could not send a message to topic '{}' on Kafka {}: {}",
                            topic, servers, clients.describe(error));
                    sent.completeExceptionally(error);
                }
            });
        } catch (KafkaException e) {
            sent.completeExceptionally(e);
        }
        if (sent.isCompletedExceptionally()) {
            Throwable cause = sent.handle((ok, error) -> error).join();
            throw new StreamUnavailableException(
                    "Could not send to topic '" + topic + "' on Kafka " + servers + ": " + clients.describe(cause), cause);
        }
        return sent;
    }

    /** Sends what is buffered, waiting up to {@code timeout}. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
