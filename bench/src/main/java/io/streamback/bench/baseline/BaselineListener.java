package io.streamback.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.streamback.bench.ListenerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;

/**
 * The hand-written listener: one thread, one plain {@link KafkaConsumer}, Kafka's default fetch
 * settings. Per poll it handles every record on the polling thread (a reply is pushed at once with
 * LPUSH + EXPIRE in one pipelined round trip), then pushes the batch's end markers in one pipeline,
 * then commits the polled offsets asynchronously. Offsets are committed only after their records
 * were handled and their end markers pushed: at-least-once, as the protocol requires.
 */
public final class BaselineListener implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final JedisPooled redis;
    private final ListenerKind kind;
    private final String sourceGroup;
    private final String endMarker;
    private final AtomicLong handled;
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param handled counts the records this listener has handled (may be shared by several listeners)
     */
    public BaselineListener(String bootstrapServers, String group, String topic, JedisPooled redis, ListenerKind kind,
                            AtomicLong handled, String threadName) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, threadName);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props);
        this.topic = topic;
        this.redis = redis;
        this.kind = kind;
        this.sourceGroup = group;
        this.endMarker = BaselineWire.end(group);
        this.handled = handled;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public BaselineListener start() {
        thread.start();
        return this;
    }

    /** Completes once the group has given this consumer its first (possibly empty) assignment. */
    public CompletableFuture<Void> assigned() {
        return assigned;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // every polled record is handled before the next poll, and its offset committed then
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.complete(null);
                }
            });
            List<String> ends = new ArrayList<>();
            while (!stopping) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    continue;
                }
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    JsonNode message = BaselineWire.read(record.value());
                    JsonNode value = message.get("value");
                    JsonNode feedback = message.get("feedback_topic");
                    String feedbackTopic = feedback == null || feedback.isNull() ? null : feedback.asText();
                    handle(value, feedbackTopic);
                    handled.incrementAndGet();
                    if (feedbackTopic != null) {
                        ends.add(feedbackTopic);
                    }
                }
                if (!ends.isEmpty()) {
                    try (AbstractPipeline pipeline = redis.pipelined()) {
                        for (String feedbackTopic : ends) {
                            pipeline.lpush(feedbackTopic, endMarker);
                            pipeline.expire(feedbackTopic, BaselineWire.FEEDBACK_TTL_SECONDS);
                        }
                        pipeline.sync();
                    }
                    ends.clear();
                }
                consumer.commitAsync();
            }
            consumer.commitSync();
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
            assigned.completeExceptionally(new IllegalStateException(thread.getName() + " stopped"));
        }
    }

    private void handle(JsonNode value, String feedbackTopic) {
        switch (kind) {
            case NOOP -> {
            }
            case ECHO -> reply(feedbackTopic, value);
            case STREAM -> {
                int replies = value.path("replies").asInt();
                for (int i = 0; i < replies; i++) {
                    reply(feedbackTopic, IntNode.valueOf(i));
                }
            }
        }
    }

    private void reply(String feedbackTopic, JsonNode value) {
        if (feedbackTopic == null) {
            return;
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
            pipeline.lpush(feedbackTopic, BaselineWire.response(value, sourceGroup));
            pipeline.expire(feedbackTopic, BaselineWire.FEEDBACK_TTL_SECONDS);
            pipeline.sync();
        }
    }

    /** Stops polling, commits what was handled and closes the consumer. */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
