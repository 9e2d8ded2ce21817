package io.streamback.testkit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) on loopback ports:
 * in the default {@linkplain TestkitMode#PROCESSES processes mode} inside the current JVM, in the
 * {@linkplain TestkitMode#CONTAINERS container mode} as a container of the
 * {@linkplain ContainerImages#kafka() Kafka image}.
 *
 * <p>It exists so that tests talk to the genuine Kafka protocol and storage without Docker or a
 * local installation. The broker can be {@linkplain #stop() stopped} and {@linkplain #restart()
 * restarted} on the same port and data directory, which lets tests simulate a Kafka outage without
 * losing committed records. {@link #close()} shuts it down and deletes the data directory; a JVM
 * shutdown hook does the same if a test forgets to.
 *
 * <p>The listener clients connect to may be secured with SASL (PLAIN or SCRAM users), TLS, or both;
 * see {@link Builder#sasl(String)} and {@link Builder#tls(TestCertificates)}. The controller, the
 * broker's own connections and the testkit's {@link #createTopic} then use a separate PLAINTEXT
 * listener, so that only the client listener is secured.
 *
 * <p>The container mode offers a PLAINTEXT listener with the same broker settings, including
 * {@link Builder#partitions} and {@link Builder#brokerProperty}; SASL, TLS, {@link #stop()} and
 * {@link #restart()} fail there, naming the processes mode.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int CONTAINER_PORT = 9092;

    private final String host;
    private final int port;
    private final int internalPort;
    private final Deployment deployment;
    private final Security security;
    private final Thread shutdownHook = new Thread(this::close, "kafka-broker-shutdown");
    private KafkaRaftServer server;
    private boolean closed;

    private KafkaBroker(String host, int port, int internalPort, Deployment deployment, Security security) {
        this.host = host;
        this.port = port;
        this.internalPort = internalPort;
        this.deployment = deployment;
        this.security = security;
    }

    /** Starts a broker with default settings; see {@link Builder}. */
    public static KafkaBroker start() {
        return builder().start();
    }

    /** Returns a builder for a broker with non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The address clients connect to, {@code 127.0.0.1:PORT} unless {@linkplain Builder#host built} with
     * another: the client listener, secured if so built.
     */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    /** The client listener's {@code security.protocol}: PLAINTEXT, SASL_PLAINTEXT, SSL or SASL_SSL. */
    public String securityProtocol() {
        return security.protocol();
    }

    /** The SASL mechanism of the client listener, e.g. {@code SCRAM-SHA-512}; empty without SASL. */
    public Optional<String> saslMechanism() {
        return security.mechanism();
    }

    /**
     * Kafka client settings for the client listener: {@code bootstrap.servers} and, as the broker is
     * secured, {@code security.protocol}, SASL login as the first {@linkplain Builder#user user}, and
     * trust in the {@linkplain TestCertificates#caCertificate() test authority}.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("security.protocol", security.protocol());
        security.mechanism().ifPresent(mechanism -> {
            Map.Entry<String, String> user = security.firstUser();
            props.put("sasl.mechanism", mechanism);
            props.put("sasl.jaas.config", loginModule(mechanism) + " required username=" + jaasQuote(user.getKey())
                    + " password=" + jaasQuote(user.getValue()) + ";");
        });
        security.certificates().ifPresent(certificates -> {
            props.put("ssl.truststore.type", "PEM");
            props.put("ssl.truststore.location", certificates.caCertificate().toString());
        });
        return props;
    }

    /**
     * The {@code main=} part of a Streamback streams URL for this broker, as the first
     * {@linkplain Builder#user user}: {@code main=kafka://127.0.0.1:PORT}, or e.g.
     * {@code main=kafkas://USER:PASSWORD@127.0.0.1:PORT&sasl_mechanism=SCRAM-SHA-512&ca_file=/.../ca.pem}.
     * It holds the password: don't log it.
     */
    public String streamsUrl() {
        StringBuilder url = new StringBuilder("main=")
                .append(security.certificates().isPresent() ? "kafkas://" : "kafka://");
        security.mechanism().ifPresent(mechanism -> url.append(Support.urlEncode(security.firstUser().getKey()))
                .append(':').append(Support.urlEncode(security.firstUser().getValue())).append('@'));
        url.append(bootstrapServers());
        security.mechanism().ifPresent(mechanism -> url.append("&sasl_mechanism=").append(mechanism));
        security.certificates().ifPresent(certificates -> url.append("&ca_file=").append(certificates.caCertificate()));
        return url.toString();
    }

    /**
     * Reads {@code topic} from its start, as a new consumer group does, until {@code count} records
     * came or {@code timeout} passed: what a listener wrote, or what landed in a dead-letter topic.
     * Keys are read as UTF-8 text, values as bytes. Returns what came, which may be fewer.
     */
    public List<ConsumerRecord<String, byte[]>> readRecords(String topic, int count, Duration timeout) {
        Map<String, Object> props = new LinkedHashMap<>(clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "testkit-reader-" + Uuid.randomUuid());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
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
     *
     * @throws UnsupportedOperationException in the container mode
     */
    public synchronized void stop() {
        inJvm("KafkaBroker.stop()");
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
     *
     * @throws UnsupportedOperationException in the container mode
     */
    public synchronized void restart() {
        InJvm inJvm = inJvm("KafkaBroker.restart()");
        if (closed) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " is closed");
        }
        stop();
        startServer(inJvm);
    }

    /** Whether the broker is started (between a start or restart and the next stop), or its container runs. */
    public synchronized boolean isRunning() {
        if (deployment instanceof InContainer inContainer) {
            return inContainer.container().isRunning();
        }
        return server != null;
    }

    /** Shuts the broker down and deletes its data directory, or removes its container. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (deployment instanceof InContainer inContainer) {
                inContainer.container().stop();
                log.info("Removed Kafka container on {}", bootstrapServers());
            } else {
                stop();
            }
        } finally {
            if (deployment instanceof InJvm inJvm) {
                Support.deleteRecursively(inJvm.dataDir());
            }
            Support.removeShutdownHook(shutdownHook);
        }
    }

    /** The container this broker runs in, if the container mode started it: for tests of the testkit itself. */
    Optional<GenericContainer<?>> container() {
        return deployment instanceof InContainer inContainer ? Optional.of(inContainer.container()) : Optional.empty();
    }

    private InJvm inJvm(String operation) {
        if (deployment instanceof InJvm inJvm) {
            return inJvm;
        }
        throw Containers.unsupported(operation);
    }

    private void format(Path dataDir) {
        try {
            new Formatter()
                    .setScramArguments(security.scramArguments())
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

    private void startServer(InJvm inJvm) {
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(inJvm.config(), false), Time.SYSTEM);
        try {
            try {
                starting.startup();
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "Kafka broker could not start on " + bootstrapServers() + " with data in " + inJvm.dataDir(), e);
            }
            awaitReady();
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw e;
        }
        server = starting;
        log.info("Started Kafka broker on {} ({}) with data in {}", bootstrapServers(), security, inJvm.dataDir());
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

    /** An admin client on the PLAINTEXT listener, which is the client listener unless that is secured. */
    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, host + ":" + internalPort,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 20,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 20,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    /** Settings for a {@link KafkaBroker}; {@link #start()} formats a fresh data directory and starts it. */
    public static final class Builder {

        private int partitions = 1;
        private String host = LOOPBACK;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Optional<String> saslMechanism = Optional.empty();
        private final Map<String, String> users = new LinkedHashMap<>();
        private Optional<TestCertificates> certificates = Optional.empty();

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

        /**
         * Makes clients authenticate with SASL: {@code PLAIN}, {@code SCRAM-SHA-256} or
         * {@code SCRAM-SHA-512}, as one of the {@linkplain #user users}. Over TLS too when
         * {@link #tls(TestCertificates)} is also given (SASL_SSL), else SASL_PLAINTEXT.
         */
        public Builder sasl(String mechanism) {
            if (!List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(mechanism)) {
                throw new IllegalArgumentException("SASL mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, was "
                        + mechanism);
            }
            this.saslMechanism = Optional.of(mechanism);
            return this;
        }

        /** Adds a SASL user; the first one added is the one {@link KafkaBroker#clientProperties()} logs in as. */
        public Builder user(String name, String password) {
            if (name.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException("SASL user name and password must not be empty");
            }
            // SCRAM users are written in the storage format's [name=...,password=...] syntax.
            if ((name + password).contains(",")) {
                throw new IllegalArgumentException("SASL user name and password must not contain ',' (user " + name + ")");
            }
            users.put(name, password);
            return this;
        }

        /** Makes the client listener speak TLS with the server certificate of {@code certificates} (SSL, or SASL_SSL). */
        public Builder tls(TestCertificates certificates) {
            this.certificates = Optional.of(certificates);
            return this;
        }

        /**
         * The address the broker listens on and advertises, instead of 127.0.0.1: an address of this
         * host, e.g. a bridge's that containers or pods reach (processes mode only).
         */
        public Builder host(String address) {
            this.host = address;
            return this;
        }

        /** Sets any broker configuration property, overriding the testkit's own choice for it. */
        public Builder brokerProperty(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        /**
         * Starts the broker, in this JVM or a container as {@link TestkitMode#configured()} says, and
         * returns once it serves requests.
         *
         * @throws UnsupportedOperationException for SASL or TLS in the container mode
         * @throws IllegalStateException if the broker does not start, or no container engine answers
         */
        public KafkaBroker start() {
            if (saslMechanism.isPresent() != !users.isEmpty()) {
                throw new IllegalStateException(saslMechanism.isPresent()
                        ? "sasl(" + saslMechanism.get() + ") needs at least one user(name, password)"
                        : "user(name, password) needs sasl(mechanism)");
            }
            Security security = new Security(saslMechanism, Collections.unmodifiableMap(new LinkedHashMap<>(users)), certificates);
            return TestkitMode.configured() == TestkitMode.CONTAINERS ? startContainer(security) : startInJvm(security);
        }

        private KafkaBroker startInJvm(Security security) {
            int[] ports = Support.freePorts(3);
            int port = ports[0];
            int controllerPort = ports[1];
            int internalPort = security.secured() ? ports[2] : port;
            Path dataDir = Support.createTempDirectory("streamback-kafka-");
            InJvm inJvm = new InJvm(dataDir, config(security, port, internalPort, controllerPort, dataDir));
            KafkaBroker broker = new KafkaBroker(host, port, internalPort, inJvm, security);
            Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
            try {
                broker.format(dataDir);
                synchronized (broker) {
                    broker.startServer(inJvm);
                }
                return broker;
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }

        private KafkaBroker startContainer(Security security) {
            if (security.secured()) {
                throw Containers.unsupported("A Kafka broker with SASL or TLS (" + security + ")");
            }
            if (!host.equals(LOOPBACK)) {
                throw Containers.unsupported("A Kafka broker on " + host);
            }
            Containers.requireEngine();
            KafkaContainer container = new LoopbackKafkaContainer(ContainerImages.kafka());
            // The image's default heap of 1 GiB, committed up front, is more than test-sized topics need.
            container.withEnv("KAFKA_HEAP_OPTS", "-Xms128m -Xmx512m");
            brokerSettings().forEach((name, value) -> container.withEnv(environmentVariable(name), value));
            // The line the official image's broker writes once it serves clients.
            Containers.start(container, "Kafka container", Pattern.compile("Transitioning from RECOVERY to RUNNING"),
                    READY_TIMEOUT);
            KafkaBroker broker = new KafkaBroker(LOOPBACK, container.getMappedPort(CONTAINER_PORT),
                    container.getMappedPort(CONTAINER_PORT), new InContainer(container), security);
            Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
            log.info("Started Kafka container on {} ({})", broker.bootstrapServers(), container.getDockerImageName());
            return broker;
        }

        /**
         * The variable the official image turns into the property {@code name}: {@code KAFKA_}, then the
         * name upper-cased with {@code _} doubled, {@code -} tripled and {@code .} as {@code _}.
         */
        static String environmentVariable(String name) {
            return "KAFKA_" + name.toUpperCase(Locale.ROOT).replace("_", "__").replace("-", "___").replace('.', '_');
        }

        private Properties config(Security security, int port, int internalPort, int controllerPort, Path dataDir) {
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
            props.put("controller.listener.names", "CONTROLLER");
            if (security.secured()) {
                props.put("listeners", "CLIENT://" + host + ":" + port + ",INTERNAL://" + host + ":" + internalPort
                        + ",CONTROLLER://" + host + ":" + controllerPort);
                props.put("advertised.listeners", "CLIENT://" + host + ":" + port + ",INTERNAL://" + host + ":" + internalPort);
                props.put("listener.security.protocol.map",
                        "CLIENT:" + security.protocol() + ",INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("inter.broker.listener.name", "INTERNAL");
                props.putAll(security.listenerConfig("listener.name.client."));
            } else {
                props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
                props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
                props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("inter.broker.listener.name", "PLAINTEXT");
            }
            props.put("log.dirs", dataDir.toString());
            props.putAll(brokerSettings());
            return props;
        }

        /** The settings of both modes beside listeners and storage: test-sized internal topics, and the overrides. */
        private Map<String, String> brokerSettings() {
            Map<String, String> props = new LinkedHashMap<>();
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

    private static String loginModule(String mechanism) {
        return mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
    }

    private static String jaasQuote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** How the client listener is secured. {@link #toString()} names protocol and mechanism, never passwords. */
    private record Security(Optional<String> mechanism, Map<String, String> users, Optional<TestCertificates> certificates) {

        boolean secured() {
            return mechanism.isPresent() || certificates.isPresent();
        }

        String protocol() {
            if (certificates.isPresent()) {
                return mechanism.isPresent() ? "SASL_SSL" : "SSL";
            }
            return mechanism.isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT";
        }

        Map.Entry<String, String> firstUser() {
            return users.entrySet().iterator().next();
        }

        /** SCRAM users exist in the cluster metadata from the start: the storage formatter writes them. */
        List<String> scramArguments() {
            return mechanism.filter(m -> m.startsWith("SCRAM-")).map(m -> users.entrySet().stream()
                    .map(user -> m + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]")
                    .toList()).orElse(List.of());
        }

        /** The broker settings of the listener whose config prefix is {@code prefix}. */
        Map<String, String> listenerConfig(String prefix) {
            Map<String, String> config = new LinkedHashMap<>();
            mechanism.ifPresent(m -> {
                config.put(prefix + "sasl.enabled.mechanisms", m);
                // PLAIN checks passwords against the user_NAME options of its login module; SCRAM against the metadata.
                String jaas = loginModule(m) + " required" + (m.equals("PLAIN")
                        ? users.entrySet().stream()
                                .map(user -> " user_" + user.getKey() + "=" + jaasQuote(user.getValue()))
                                .collect(Collectors.joining())
                        : "") + ";";
                config.put(prefix + m.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", jaas);
            });
            certificates.ifPresent(c -> {
                config.put(prefix + "ssl.keystore.type", "PKCS12");
                config.put(prefix + "ssl.keystore.location", c.keyStore().toString());
                config.put(prefix + "ssl.keystore.password", c.password());
                config.put(prefix + "ssl.key.password", c.password());
            });
            return config;
        }

        @Override
        public String toString() {
            return protocol() + mechanism.map(m -> " " + m).orElse("");
        }
    }

    /** Where the broker runs. */
    private sealed interface Deployment permits InJvm, InContainer {
    }

    /** A {@link KafkaRaftServer} in this JVM, with its configuration and data directory kept for restarts. */
    private record InJvm(Path dataDir, Properties config) implements Deployment {
    }

    /** A container whose client listener is published on a loopback port. */
    private record InContainer(KafkaContainer container) implements Deployment {
    }

    /**
     * A Kafka container that advertises its client listener on 127.0.0.1, where the testkit publishes
     * it, whatever address Testcontainers would otherwise pick for the engine's host.
     */
    private static final class LoopbackKafkaContainer extends KafkaContainer {

        LoopbackKafkaContainer(String image) {
            super(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"));
        }

        @Override
        public String getHost() {
            return LOOPBACK;
        }
    }
}
