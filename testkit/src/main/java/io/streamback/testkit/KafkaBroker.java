package io.streamback.testkit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running inside the
 * current JVM on free loopback ports.
 *
 * <p>It exists so that tests talk to the genuine Kafka protocol and storage without Docker or a
 * local installation. The broker can be {@linkplain #stop() stopped} and {@linkplain #restart()
 * restarted} on the same port and data directory, which lets tests simulate a Kafka outage without
 * losing committed records. {@link #close()} shuts it down and deletes the data directory; a JVM
 * shutdown hook does the same if a test forgets to.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final Path dataDir;
    private final Properties config;
    private final Thread shutdownHook = new Thread(this::close, "kafka-broker-shutdown");
    private KafkaRaftServer server;
    private boolean closed;

    private KafkaBroker(int port, Path dataDir, Properties config) {
        this.port = port;
        this.dataDir = dataDir;
        this.config = config;
    }

    /** Starts a broker with default settings; see {@link Builder}. */
    public static KafkaBroker start() {
        return builder().start();
    }

    /** Returns a builder for a broker with non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address clients connect to, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader, so a
     * producer can write to it at once. An existing topic is left as it is.
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (!hasLeaders(admin, name)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("partitions have no leader");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Could not create topic " + name + " on Kafka broker " + bootstrapServers(), e);
        }
    }

    /**
     * Shuts the broker down, keeping its port and data so that {@link #restart()} brings the same
     * broker back. Does nothing if it is not running.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        log.info("Stopped Kafka broker on {}", bootstrapServers());
    }

    /**
     * Stops the broker if it runs, then starts it again on the same port and data directory and waits
     * until it serves requests.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " is closed");
        }
        stop();
        startServer();
    }

    /** Whether the broker is started (between a start or restart and the next stop). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down and deletes its data directory. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            Support.deleteRecursively(dataDir);
            Support.removeShutdownHook(shutdownHook);
        }
    }

    private void format() {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .addDirectory(dataDir.toString())
                    .setMetadataLogDirectory(dataDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka data directory " + dataDir, e);
        }
    }

    private void startServer() {
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        try {
            try {
                starting.startup();
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "Kafka broker could not start on " + bootstrapServers() + " with data in " + dataDir, e);
            }
            awaitReady();
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw e;
        }
        server = starting;
        log.info("Started Kafka broker on {} (data in {})", bootstrapServers(), dataDir);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (admin.describeCluster().nodes().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("no live broker in the cluster metadata");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka broker on " + bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker did not become ready on " + bootstrapServers()
                    + " within " + READY_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static boolean hasLeaders(Admin admin, String topic) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            // Metadata for a topic just created may not have reached the broker yet.
            return false;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 20,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 20,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    /** Settings for a {@link KafkaBroker}; {@link #start()} formats a fresh data directory and starts it. */
    public static final class Builder {

        private int partitions = 1;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** Partitions of automatically created topics ({@code num.partitions}); 1 by default. */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Sets any broker configuration property, overriding the testkit's own choice for it. */
        public Builder brokerProperty(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        /** Starts the broker and returns once it serves requests. */
        public KafkaBroker start() {
            int[] ports = Support.freePorts(2);
            int port = ports[0];
            int controllerPort = ports[1];
            Path dataDir = Support.createTempDirectory("streamback-kafka-");
            KafkaBroker broker = new KafkaBroker(port, dataDir, config(port, controllerPort, dataDir));
            Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
            try {
                broker.format();
                synchronized (broker) {
                    broker.startServer();
                }
                return broker;
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }

        private Properties config(int port, int controllerPort, Path dataDir) {
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
            props.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", dataDir.toString());
            props.put("auto.create.topics.enable", "true");
            props.put("num.partitions", String.valueOf(partitions));
            // Internal topics: one replica on one broker, and few partitions so they are created quickly.
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "1");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("share.coordinator.state.topic.num.partitions", "1");
            // Consumer groups form at once instead of waiting for more members.
            props.put("group.initial.rebalance.delay.ms", "0");
            // The default 128 MiB log cleaner buffer is wasted heap for test-sized compacted topics.
            props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
            // Retention works per segment: small segments let tests that shorten retention see it act.
            props.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
            props.putAll(overrides);
            return props;
        }
    }
}
