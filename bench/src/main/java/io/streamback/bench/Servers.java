package io.streamback.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** The Kafka broker and Redis server the benchmarks run against: given, or the testkit's in a child JVM. */
public final class Servers implements AutoCloseable {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final HostAndPort redis;
    private final String feedbackUrl;
    private final ChildJvm child;
    private final Admin admin;

    private Servers(String bootstrapServers, HostAndPort redis, String feedbackUrl, ChildJvm child) {
        this.bootstrapServers = bootstrapServers;
        this.redis = redis;
        this.feedbackUrl = feedbackUrl;
        this.child = child;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
                AdminClientConfig.CLIENT_ID_CONFIG, "streamback-bench-admin"));
    }

    /** Servers already running, e.g. {@code 127.0.0.1:9092} and {@code 127.0.0.1:6379}. */
    public static Servers given(String kafka, String redis) {
        return new Servers(kafka, HostAndPort.from(redis), "redis://" + redis, null);
    }

    /**
     * Starts the testkit's broker and Redis in a child JVM with {@code jvmOptions}, and for
     * {@code feedback} {@code sentinel} or {@code cluster} the Redis that Streamback's feedback stream uses.
     */
    public static Servers startTestkit(String jvmOptions, String feedback) {
        ChildJvm child = ChildJvm.start("servers", jvmOptions, ServersMain.class, feedback);
        try {
            String[] addresses = child.awaitLine("SERVERS", Duration.ofSeconds(120)).split(" ");
            return new Servers(addresses[0], HostAndPort.from(addresses[1]), addresses[2], child);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public HostAndPort redis() {
        return redis;
    }

    /** Where the servers are, for the report. */
    public String description() {
        return (child == null ? "given: Kafka " + bootstrapServers + ", Redis " + redis
                : "testkit in a child JVM (pid " + child.pid() + "): Kafka " + bootstrapServers + ", Redis " + redis)
                + (feedbackUrl.equals("redis://" + redis) ? "" : "; Streamback's feedback stream " + feedbackUrl);
    }

    /** The Streamback streams URL for these servers; the baseline always uses {@link #redis()}. */
    public String streamsUrl() {
        return "main=kafka://" + bootstrapServers + "&feedback=" + feedbackUrl;
    }

    /**
     * Empties the Redis server when the harness started it and both sides use it (not given servers,
     * nor a separate Sentinel setup or cluster). Each run pushes a feedback list per message, up to
     * 220,000 of them kept for 300 s: without this, a run that crossed a power of two of keys paid for
     * Redis growing its key table, whichever side it was.
     */
    public void emptyRedis() {
        if (child == null || !feedbackUrl.equals("redis://" + redis)) {
            return;
        }
        try (Jedis jedis = new Jedis(redis)) {
            jedis.flushAll();
        }
    }

    /** Creates a topic and waits until each partition has a leader. */
    public void createTopic(String name, int partitions) {
        try {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (!hasLeaders(name)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("partitions of " + name + " have no leader");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topic " + name + " on " + bootstrapServers, e);
        }
    }

    private boolean hasLeaders(String topic) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** The sum over {@code topic}'s partitions of {@code group}'s committed offsets. */
    public long committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return offsets.entrySet().stream()
                    .filter(entry -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
                    .mapToLong(entry -> entry.getValue().offset())
                    .sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading offsets of " + group, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not read the committed offsets of group " + group, e);
        }
    }

    /** Waits until {@code group} has committed {@code expected} records of {@code topic}. */
    public void awaitCommitted(String group, String topic, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long committed;
        while ((committed = committed(group, topic)) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Group " + group + " committed " + committed + " of " + expected
                        + " records of " + topic + " within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            if (child != null) {
                child.close();
            }
        }
    }
}
