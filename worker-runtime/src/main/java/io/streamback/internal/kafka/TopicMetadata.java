package io.streamback.internal.kafka;

import io.streamback.StreamUnavailableException;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;

/**
 * The topics the broker has, read with a Kafka consumer that joins no group: one metadata request
 * per call, so it also tells whether Kafka answers. A consumer rather than an admin client because
 * a worker loads the consumer's classes anyway, while the admin client would add about 90 classes
 * and a thread (a worker needs it only to create topics or read lags, see {@code Streamback}).
 *
 * <p>Thread-safe: calls take turns, as a Kafka consumer allows one thread at a time. The consumer is
 * made on the first call.
 */
public final class TopicMetadata {
    private final KafkaClients clients;
    private final String clientId;
    private KafkaConsumer<byte[], byte[]> consumer;
    private boolean closed;

    public TopicMetadata(KafkaClients clients, String clientId) {
        this.clients = clients;
        this.clientId = clientId;
    }

    /**
     * The names of the broker's topics, asked within {@code timeout}.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when no broker answers in time
     * @throws org.apache.kafka.common.errors.AuthenticationException when the broker refuses the login or TLS handshake
     * @throws IllegalStateException when closed
     * @throws StreamUnavailableException when none of the bootstrap servers' names resolves
     */
    public synchronized Set<String> topicNames(Duration timeout) {
        return consumer().listTopics(timeout).keySet();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (consumer == null) {
            try {
                consumer = new KafkaConsumer<>(clients.metadataConsumer(clientId));
            } catch (KafkaException e) {
                throw new StreamUnavailableException("Kafka " + clients.endpoint().bootstrapServers() + " is unreachable: "
                        + e.getMessage(), e);
            }
        }
        return consumer;
    }

    /** Closes the consumer, if made, waiting up to {@code timeout}. */
    public synchronized void close(Duration timeout) {
        closed = true;
        if (consumer != null) {
            consumer.close(CloseOptions.timeout(timeout));
        }
    }
}
