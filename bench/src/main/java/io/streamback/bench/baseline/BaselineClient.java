package io.streamback.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.KeyValue;

/**
 * The hand-written producer: one {@link KafkaProducer} (sent at once, {@code linger.ms=0}, and
 * {@code acks=all}, as Streamback's) and a Jedis pool whose connections block in BRPOP on a
 * message's feedback topic.
 */
public final class BaselineClient implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final JedisPooled redis;
    private final String sourceGroup;

    public BaselineClient(String bootstrapServers, HostAndPort redisAddress, int redisConnections, String sourceGroup) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, sourceGroup);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props);
        this.redis = pool(redisAddress, redisConnections);
        this.sourceGroup = sourceGroup;
    }

    /** A Jedis pool of at most {@code connections} connections. */
    public static JedisPooled pool(HostAndPort address, int connections) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(connections);
        pool.setMaxIdle(connections);
        pool.setJmxEnabled(false);
        return new JedisPooled(pool, address, DefaultJedisClientConfig.builder().socketTimeoutMillis(30_000).build());
    }

    /** Sends a message with a new feedback topic; completes when the broker has it. */
    public CompletableFuture<Void> send(String topic, JsonNode value) {
        return send(topic, value, BaselineWire.newFeedbackTopic());
    }

    private CompletableFuture<Void> send(String topic, JsonNode value, String feedbackTopic) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, BaselineWire.message(value, feedbackTopic, sourceGroup)),
                (metadata, error) -> {
                    if (error == null) {
                        acked.complete(null);
                    } else {
                        acked.completeExceptionally(error);
                    }
                });
        return acked;
    }

    /** Sends a message and waits for its first reply; empty when the listener ended without one. */
    public Optional<JsonNode> call(String topic, JsonNode value, Duration timeout) throws TimeoutException {
        String feedbackTopic = BaselineWire.newFeedbackTopic();
        send(topic, value, feedbackTopic);
        while (true) {
            JsonNode entry = pop(feedbackTopic, timeout);
            switch (entry.path("event").asText()) {
                case "response":
                    return Optional.of(entry.get("value"));
                case "response_end":
                    return Optional.empty();
                case "response_end_with_error":
                    throw new IllegalStateException("listener failed: " + entry.path("error").asText());
                default:
                    // unknown entries are skipped
            }
        }
    }

    /** Sends a message and reads every reply until the end marker; returns how many came. */
    public long stream(String topic, JsonNode value, Duration timeout) throws TimeoutException {
        String feedbackTopic = BaselineWire.newFeedbackTopic();
        send(topic, value, feedbackTopic);
        long replies = 0;
        while (true) {
            JsonNode entry = pop(feedbackTopic, timeout);
            switch (entry.path("event").asText()) {
                case "response":
                    replies++;
                    break;
                case "response_end":
                    return replies;
                case "response_end_with_error":
                    throw new IllegalStateException("listener failed: " + entry.path("error").asText());
                default:
                    // unknown entries are skipped
            }
        }
    }

    private JsonNode pop(String feedbackTopic, Duration timeout) throws TimeoutException {
        KeyValue<String, String> popped = redis.brpop(timeout.toMillis() / 1000.0, feedbackTopic);
        if (popped == null) {
            throw new TimeoutException("no feedback on " + feedbackTopic + " within " + timeout);
        }
        return BaselineWire.read(popped.getValue());
    }

    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(10));
        } finally {
            redis.close();
        }
    }
}
