package io.streamback.internal.kafka;

import io.streamback.InvalidMessageException;
import io.streamback.StreamUnavailableException;
import io.streamback.kafka.KeyPartitioner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes main stream records. Thread-safe: one Kafka producer shared by every sender, created at the first send,
 * so a worker whose listeners only reply through Redis never holds one (its classes, I/O thread and metrics).
 */
public final class MainStreamProducer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MainStreamProducer.class);
    private static final int MAX_TOPIC_LENGTH = 249;

    private final KafkaClients clients;
    private final Properties config;
    /** Null until the first send; written under {@code this}. */
    private volatile KafkaProducer<String, byte[]> producer;
    /** Guarded by {@code this}: once closed, no producer is created. */
    private boolean closed;
    private final String servers;
    private final KeyPartitioner keyPartitioner;

    /** @throws StreamUnavailableException when none of the bootstrap servers' names resolves */
    public MainStreamProducer(KafkaClients clients, String clientId, KeyPartitioner keyPartitioner) {
        this.clients = clients;
        this.keyPartitioner = keyPartitioner;
        this.servers = clients.endpoint().bootstrapServers();
        this.config = clients.producer(clientId);
        try { // what creating the producer checked first, so a bad host is still reported at build
            List<String> bootstrap = Stream.of(config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).split(","))
                    .map(String::trim).toList();
            ClientUtils.parseAndValidateAddresses(bootstrap,
                    config.getProperty(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, "use_all_dns_ips"));
        } catch (KafkaException e) {
            throw unreachable(e);
        }
    }

    /**
     * The producer, created on first use.
     *
     * @throws IllegalStateException when closed, in the words of Kafka's producer
     */
    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> created = producer;
        if (created != null) {
            return created;
        }
        synchronized (this) {
            if (producer == null) {
                if (closed) {
                    throw new IllegalStateException("Cannot perform operation after producer has been closed");
                }
                try {
                    producer = new KafkaProducer<>(config);
                } catch (KafkaException e) {
                    throw unreachable(e);
                }
            }
            return producer;
        }
    }

    private StreamUnavailableException unreachable(KafkaException e) {
        return new StreamUnavailableException("Kafka " + servers + " is unreachable: " + e.getMessage(), e);
    }

    /**
     * Sends one record, with {@code headers} (null: none).
     *
     * @return completes with where the broker put it, or fails with an {@link InvalidMessageException}
     *         or {@link StreamUnavailableException}
     * @throws InvalidMessageException when the topic name is not one Kafka allows or the value is too large
     * @throws StreamUnavailableException when the broker could not be reached within the connect timeout
     */
    public CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value, Iterable<Header> headers) {
        checkTopicName(topic);
        failIfSecurityMissing(topic);
        Integer partition = null;
        if (key != null && keyPartitioner != KeyPartitioner.MURMUR2) {
            try {
                OptionalInt chosen = keyPartitioner.partition(key, producer().partitionsFor(topic).size());
                partition = chosen.isPresent() ? chosen.getAsInt() : null;
            } catch (KafkaException e) {
                throw failure(topic, e);
            }
        }
        return send(new ProducerRecord<>(topic, partition, key, value, headers));
    }

    /** Sends one record as given, headers included (e.g. a dead letter). */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        String topic = record.topic();
        failIfSecurityMissing(topic);
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        try {
            producer().send(record, (metadata, error) -> {
                if (error == null) {
                    sent.complete(metadata);
                } else {
                    RuntimeException failure = failure(topic, error);
                    log.error("{}", failure.getMessage());
                    sent.completeExceptionally(failure);
                }
            });
        } catch (KafkaException e) {
            sent.completeExceptionally(failure(topic, e));
        }
        if (sent.isCompletedExceptionally()) {
            throw (RuntimeException) sent.handle((ok, error) -> error).join();
        }
        return sent;
    }

    /** Fails at once, naming it, when the broker demands authentication or TLS the streams URL lacks. */
    private void failIfSecurityMissing(String topic) {
        Optional<String> missing = clients.missingSecurity();
        if (missing.isPresent()) {
            throw new StreamUnavailableException("Could not send to topic '" + topic + "' on Kafka " + servers + ": "
                    + missing.get());
        }
    }

    /** Whose fault a failed send is: the caller's input, or the streams'. */
    private RuntimeException failure(String topic, Throwable error) {
        if (error instanceof RecordTooLargeException) {
            return new InvalidMessageException("The message to topic '" + topic + "' is too large: " + error.getMessage(),
                    error);
        }
        if (error instanceof InvalidTopicException) {
            return new InvalidMessageException("'" + topic + "' is not a topic Kafka accepts: " + error.getMessage(), error);
        }
        if (error instanceof TimeoutException && String.valueOf(error.getMessage()).contains("not present in metadata")) {
            return new StreamUnavailableException("Kafka " + servers + " gave no partitions of topic '" + topic
                    + "' within the connect timeout: the broker is unreachable, or the topic does not exist and "
                    + "the broker does not create topics (" + error.getMessage() + ")", error);
        }
        return new StreamUnavailableException(
                "Could not send to topic '" + topic + "' on Kafka " + servers + ": " + clients.describe(error), error);
    }

    /** Kafka's own rule for topic names, checked before a round trip to the broker. */
    private static void checkTopicName(String topic) {
        if (topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH || topic.equals(".") || topic.equals("..")
                || !legalCharacters(topic)) {
            throw new InvalidMessageException("'" + topic + "' is not a topic Kafka accepts: a name is 1 to "
                    + MAX_TOPIC_LENGTH + " letters, digits, '.', '_' or '-', and not '.' or '..'", null);
        }
    }

    /** Letters, digits, '.', '_' and '-' only; a loop rather than a regular expression, as it runs on every send. */
    private static boolean legalCharacters(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return false;
            }
        }
        return true;
    }

    /** Sends what is buffered, waiting up to {@code timeout}. */
    public void close(Duration timeout) {
        KafkaProducer<String, byte[]> created;
        synchronized (this) {
            closed = true;
            created = producer;
        }
        if (created != null) {
            created.close(timeout);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
