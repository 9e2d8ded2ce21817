package io.streamback.spring.boot;

import io.streamback.kafka.KeyPartitioner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code streamback.*} settings of the auto-configured {@link io.streamback.Streamback}.
 * Unset durations keep the library's defaults.
 */
@ConfigurationProperties("streamback")
public class StreambackProperties {
    /**
     * Application name: the Kafka consumer group and the source_group of what this application
     * sends. Defaults to spring.application.name.
     */
    private String name;

    /**
     * Streams URL, e.g. main=kafka://kafka:9092&feedback=redis://redis:6379. When not set, it is
     * made from spring.kafka.bootstrap-servers and spring.data.redis.*.
     */
    private String streams;

    /** Prefix of every topic sent to or listened on (the streams URL's topics_prefix). */
    private String topicsPrefix;

    /** How long a reply is waited for when no timeout is given. Library default: 60s. */
    private Duration feedbackTimeout;

    /** How long unread replies stay in Redis. Library default: 300s. */
    private Duration feedbackTtl;

    /** How long to wait for Kafka or Redis before reporting them unreachable. Library default: 10s. */
    private Duration connectTimeout;

    /** How long shutdown waits for the records in hand. Library default: 30s. */
    private Duration shutdownTimeout;

    /**
     * Where records that can't be handled go, {topic} standing for their topic; "off" to only log
     * them. Library default: {topic}.dlt.
     */
    private String deadLetterTopic;

    /**
     * Create the listeners' missing topics at start, as PARTITIONS or PARTITIONS:REPLICATION
     * (e.g. 6:3). Not set: missing topics are logged and keep the application not ready.
     */
    private String createMissingTopics;

    /** How a keyed message picks its partition: crc32 as the Python library, murmur2 as Kafka's Java client. */
    private KeyPartitioner keyPartitioner;

    /** How late a missed schedule occurrence may still be sent after a restart. Library default: 60s. */
    private Duration scheduleGrace;

    /**
     * Dedicated consumer workers for each listener that sets no concurrency of its own. Library
     * default: 0, such listeners share the application's one pool worker.
     */
    private Integer listenerConcurrency;

    /**
     * How long the application's startup waits for the listeners to join their consumer group and
     * get their partitions before it fails.
     */
    private Duration startupTimeout = Duration.ofMinutes(2);

    /** Whether the listeners and schedules start with the application context. */
    private boolean autoStartup = true;

    /** Kafka client settings for the producer, consumers and admin client, over Streamback's defaults. */
    private Map<String, String> kafka = new LinkedHashMap<>();

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getStreams() {
        return streams;
    }

    public void setStreams(String streams) {
        this.streams = streams;
    }

    public String getTopicsPrefix() {
        return topicsPrefix;
    }

    public void setTopicsPrefix(String topicsPrefix) {
        this.topicsPrefix = topicsPrefix;
    }

    public Duration getFeedbackTimeout() {
        return feedbackTimeout;
    }

    public void setFeedbackTimeout(Duration feedbackTimeout) {
        this.feedbackTimeout = feedbackTimeout;
    }

    public Duration getFeedbackTtl() {
        return feedbackTtl;
    }

    public void setFeedbackTtl(Duration feedbackTtl) {
        this.feedbackTtl = feedbackTtl;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public String getCreateMissingTopics() {
        return createMissingTopics;
    }

    public void setCreateMissingTopics(String createMissingTopics) {
        this.createMissingTopics = createMissingTopics;
    }

    public KeyPartitioner getKeyPartitioner() {
        return keyPartitioner;
    }

    public void setKeyPartitioner(KeyPartitioner keyPartitioner) {
        this.keyPartitioner = keyPartitioner;
    }

    public Duration getScheduleGrace() {
        return scheduleGrace;
    }

    public void setScheduleGrace(Duration scheduleGrace) {
        this.scheduleGrace = scheduleGrace;
    }

    public Integer getListenerConcurrency() {
        return listenerConcurrency;
    }

    public void setListenerConcurrency(Integer listenerConcurrency) {
        this.listenerConcurrency = listenerConcurrency;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public boolean isAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public Map<String, String> getKafka() {
        return kafka;
    }

    public void setKafka(Map<String, String> kafka) {
        this.kafka = kafka;
    }
}
