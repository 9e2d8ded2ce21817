package io.streamback.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.CapturedLogs;
import io.streamback.StreamUnavailableException;
import io.streamback.Streamback;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import io.streamback.testkit.KafkaBroker;
import io.streamback.testkit.RedisServer;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.TestCertificates;
import io.streamback.testkit.Testkit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Streamback against a Kafka broker and a Redis server that demand credentials, TLS or both: an RPC
 * round trip works in every mode, a wrong password is refused with an error that names where and
 * how (within the connect timeout), and no password ever reaches a log line, an exception or a
 * {@code toString()}. Each secured server is started once for the class.
 */
@StreambackTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredStreamsTest {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KAFKA_USER = "alice";
    private static final String KAFKA_PASSWORD = "kafka-Secret-41";
    private static final String REDIS_PASSWORD = "redis-Secret-42";
    private static final String REDIS_USER = "app";
    private static final String REDIS_USER_PASSWORD = "redis-acl-Secret-43";
    private static final String WRONG_PASSWORD = "wrong-Secret-44";
    private static final List<String> SECRETS = List.of(KAFKA_PASSWORD, REDIS_PASSWORD, REDIS_USER_PASSWORD, WRONG_PASSWORD);
    private static final String NO_TLS = "The redis-server in use (%s) was built without TLS. Point "
            + RedisServer.EXECUTABLE_VARIABLE + " or -D" + RedisServer.EXECUTABLE_PROPERTY
            + " at a redis-server built with TLS (e.g. Debian's redis-server package) to run this test.";

    /** How the main stream is secured, and how its streams URL says so. */
    enum KafkaMode {
        SASL_PLAIN_PYTHON_SYNTAX("SASL_PLAINTEXT", "PLAIN"),
        SASL_PLAIN_URI_SYNTAX("SASL_PLAINTEXT", "PLAIN"),
        SCRAM_SHA_512("SASL_PLAINTEXT", "SCRAM-SHA-512"),
        SSL("SSL", null),
        SASL_SSL("SASL_SSL", "PLAIN");

        final String protocol;
        final String mechanism;

        KafkaMode(String protocol, String mechanism) {
            this.protocol = protocol;
            this.mechanism = mechanism;
        }
    }

    /** How the feedback stream is secured. */
    enum RedisMode { PASSWORD, ACL_USER, TLS }

    private final Testkit testkit;
    private final TestCertificates certificates = TestCertificates.shared();
    private final Map<KafkaMode, KafkaBroker> brokers = new EnumMap<>(KafkaMode.class);
    private final Map<RedisMode, RedisServer> redisServers = new EnumMap<>(RedisMode.class);
    private final List<Streamback> opened = new ArrayList<>();
    /** Exception texts and toStrings the test saw; checked for passwords like the logs. */
    private final List<String> shown = new ArrayList<>();
    private CapturedLogs logs;
    private String topic;

    SecuredStreamsTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeAll
    void startServers() {
        KafkaBroker plain = timed("SASL_PLAINTEXT PLAIN", () -> KafkaBroker.builder()
                .sasl("PLAIN").user(KAFKA_USER, KAFKA_PASSWORD).start());
        brokers.put(KafkaMode.SASL_PLAIN_PYTHON_SYNTAX, plain);
        brokers.put(KafkaMode.SASL_PLAIN_URI_SYNTAX, plain);
        brokers.put(KafkaMode.SCRAM_SHA_512, timed("SASL_PLAINTEXT SCRAM-SHA-512", () -> KafkaBroker.builder()
                .sasl("SCRAM-SHA-512").user(KAFKA_USER, KAFKA_PASSWORD).start()));
        brokers.put(KafkaMode.SSL, timed("SSL", () -> KafkaBroker.builder().tls(certificates).start()));
        brokers.put(KafkaMode.SASL_SSL, timed("SASL_SSL PLAIN", () -> KafkaBroker.builder()
                .sasl("PLAIN").user(KAFKA_USER, KAFKA_PASSWORD).tls(certificates).start()));

        redisServers.put(RedisMode.PASSWORD, RedisServer.builder().password(REDIS_PASSWORD).start());
        redisServers.put(RedisMode.ACL_USER, RedisServer.builder().user(REDIS_USER, REDIS_USER_PASSWORD).start());
        if (RedisServer.supportsTls()) {
            redisServers.put(RedisMode.TLS, timed("Redis TLS", () -> RedisServer.builder()
                    .user(REDIS_USER, REDIS_USER_PASSWORD).tls(certificates).start()));
        }
    }

    @AfterAll
    void stopServers() {
        redisServers.values().forEach(RedisServer::close);
        brokers.values().stream().distinct().forEach(KafkaBroker::close);
    }

    @BeforeEach
    void captureLogs() {
        logs = new CapturedLogs();
        topic = Testkit.uniqueName("secured");
    }

    @AfterEach
    void noPasswordWasShown() {
        try {
            opened.forEach(Streamback::close);
        } finally {
            logs.close();
        }
        String everything = logs.text() + String.join("\n", shown);
        for (String secret : SECRETS) {
            assertThat(everything).as("logs, exception messages and toString()s").doesNotContain(secret);
        }
    }

    @ParameterizedTest
    @EnumSource(KafkaMode.class)
    void rpcRoundTripOverASecuredMainStream(KafkaMode mode) throws Exception {
        String streams = mainUrl(mode, KAFKA_PASSWORD) + "&feedback=" + testkit.redisUrl();

        assertRoundTrip(streams, "over " + mode);
    }

    @ParameterizedTest
    @EnumSource(value = KafkaMode.class, names = "SSL", mode = EnumSource.Mode.EXCLUDE)
    void wrongKafkaPasswordIsRefusedNamingHostAndMechanism(KafkaMode mode) {
        String streams = mainUrl(mode, WRONG_PASSWORD) + "&feedback=" + testkit.redisUrl();
        String refusal = "SASL authentication failed for user '" + KAFKA_USER + "' with " + mode.mechanism
                + " over " + mode.protocol;
        String kafka = brokers.get(mode).bootstrapServers();

        Streamback listener = app("listener", streams).listen(topic, (context, message) -> { });
        assertStartFails(listener, "Kafka " + kafka + " refused the connection: " + refusal);

        Streamback producer = app("producer", streams);
        assertThatThrownBy(() -> producer.send(topic, Map.of("id", 1)))
                .satisfies(this::show)
                .isInstanceOf(StreamUnavailableException.class)
                .hasMessageContaining("Could not send to topic '" + topic + "' on Kafka " + kafka + ": " + refusal);
    }

    @ParameterizedTest
    @EnumSource(value = KafkaMode.class, names = {"SASL_PLAIN_URI_SYNTAX", "SCRAM_SHA_512", "SASL_SSL"})
    void missingKafkaCredentialsAreNamedAsMissing(KafkaMode mode) {
        String kafka = brokers.get(mode).bootstrapServers();
        String streams = mode == KafkaMode.SASL_SSL
                ? "main=kafkas://" + kafka + "&ca_file=" + certificates.caCertificate()
                : "main=kafka://" + kafka;
        String missing = "authentication missing: " + kafka + " demands SASL authentication (it offers "
                + mode.mechanism + ") but the streams URL gives no credentials";

        Streamback listener = app("listener", streams).listen(topic, (context, message) -> { });
        assertStartFails(listener, "Kafka " + kafka + " refused the connection: " + missing);

        Streamback producer = app("producer", streams);
        assertThatThrownBy(() -> producer.send(topic, Map.of("id", 1)))
                .satisfies(this::show)
                .isInstanceOf(StreamUnavailableException.class)
                .hasMessage("Could not send to topic '" + topic + "' on Kafka " + kafka + ": " + missing
                        + "; write main=" + (mode == KafkaMode.SASL_SSL ? "kafkas" : "kafka")
                        + "://USER:PASSWORD@HOST:PORT, with &sasl_mechanism=... for SCRAM");
    }

    @Test
    void securityGivenAsKafkaPropertiesIsLeftToKafka() throws Exception {
        // SASL set with Builder.kafkaProperty, as for OAUTHBEARER: the URL lacks nothing then.
        String streams = "main=kafka://" + brokers.get(KafkaMode.SASL_PLAIN_URI_SYNTAX).bootstrapServers()
                + "&feedback=" + testkit.redisUrl();
        Map<String, String> sasl = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + KAFKA_USER + "\" password=\"" + KAFKA_PASSWORD + "\";");
        Streamback.Builder listenerBuilder = Streamback.builder(Testkit.uniqueName("listener")).streams(streams).connectTimeout(CONNECT);
        Streamback.Builder clientBuilder = Streamback.builder(Testkit.uniqueName("client")).streams(streams).connectTimeout(CONNECT);
        sasl.forEach(listenerBuilder::kafkaProperty);
        sasl.forEach(clientBuilder::kafkaProperty);
        Streamback listener = listenerBuilder.build().listen(topic, (context, message) -> message.respond("by properties"));
        opened.add(listener);
        listener.startAsync().get(60, TimeUnit.SECONDS);
        Streamback client = clientBuilder.build();
        opened.add(client);

        assertThat(client.send(topic, Map.of()).read(WAIT).map(Reply::value)).map(JsonNode::asText).contains("by properties");
    }

    @ParameterizedTest
    @EnumSource(value = KafkaMode.class, names = {"SSL", "SASL_SSL"})
    void plaintextToATlsListenerIsNamedAsMissingTls(KafkaMode mode) {
        String kafka = brokers.get(mode).bootstrapServers();
        String streams = "main=kafka://" + (mode == KafkaMode.SASL_SSL ? KAFKA_USER + ":" + KAFKA_PASSWORD + "@" : "") + kafka;

        Streamback listener = app("listener", streams).listen(topic, (context, message) -> { });

        assertStartFails(listener, "Kafka " + kafka + " refused the connection: TLS missing: " + kafka
                + " answers TLS, not plaintext; write main=kafkas://... (and ca_file=... unless the JVM trusts its certificate)");
    }

    @Test
    void kafkaTlsWithoutTheCaFileIsRefusedAsUntrusted() {
        String kafka = brokers.get(KafkaMode.SASL_SSL).bootstrapServers();
        Streamback listener = app("listener", "main=kafkas://" + KAFKA_USER + ":" + KAFKA_PASSWORD + "@" + kafka)
                .listen(topic, (context, message) -> { });

        assertStartFails(listener, "Kafka " + kafka + " refused the connection: TLS handshake failed over SASL_SSL"
                + " trusting the JVM's default CAs: unable to find valid certification path");
    }

    @ParameterizedTest
    @EnumSource(RedisMode.class)
    void rpcRoundTripOverASecuredFeedbackStream(RedisMode mode) throws Exception {
        String streams = "main=kafka://" + testkit.bootstrapServers() + "&feedback=" + feedbackUrl(mode, false);

        assertRoundTrip(streams, "over " + mode);
    }

    @ParameterizedTest
    @EnumSource(RedisMode.class)
    void wrongRedisPasswordIsRefusedNamingHostAndUser(RedisMode mode) {
        String streams = "main=kafka://" + testkit.bootstrapServers() + "&feedback=" + feedbackUrl(mode, true);
        RedisServer redis = redisServers.get(mode);
        String refusal = "Feedback stream " + (mode == RedisMode.TLS ? "rediss://" : "redis://")
                + (mode == RedisMode.PASSWORD ? "" : REDIS_USER) + ":****@127.0.0.1:" + redis.port()
                + " refused the credentials of " + (mode == RedisMode.PASSWORD ? "the default user" : "user 'app'")
                + ": WRONGPASS";

        Streamback listener = app("listener", streams).listen(topic, (context, message) -> { });
        assertStartFails(listener, refusal);

        FeedbackLane lane = app("producer", streams).send(topic, Map.of());
        assertThatThrownBy(() -> lane.read(WAIT))
                .satisfies(this::show)
                .isInstanceOf(StreamUnavailableException.class)
                .hasMessageContaining(refusal);
    }

    @ParameterizedTest
    @EnumSource(value = RedisMode.class, names = {"PASSWORD", "ACL_USER"})
    void missingRedisCredentialsAreNamedAsMissing(RedisMode mode) {
        RedisServer redis = redisServers.get(mode);
        String streams = "main=kafka://" + testkit.bootstrapServers() + "&feedback=redis://127.0.0.1:" + redis.port();

        Streamback listener = app("listener", streams).listen(topic, (context, message) -> { });

        assertStartFails(listener, "Feedback stream redis://127.0.0.1:" + redis.port() + ": authentication missing: "
                + "Redis demands a password but the streams URL gives none; write feedback=redis://[USER]:PASSWORD@HOST:PORT");
    }

    @Test
    void redisTlsWithoutTheCaFileIsRefusedAsUntrusted() {
        assumeTrue(RedisServer.supportsTls(), () -> NO_TLS.formatted(RedisServer.executable()));
        RedisServer redis = redisServers.get(RedisMode.TLS);
        String streams = "main=kafka://" + testkit.bootstrapServers() + "&feedback=" + redis.url();

        Streamback listener = app("listener", streams).listen(topic, (context, message) -> { });
        assertStartFails(listener, "Feedback stream rediss://app:****@127.0.0.1:" + redis.port()
                + " is unavailable: javax.net.ssl.SSLHandshakeException: PKIX path building failed");
    }

    @Test
    void redisTlsChecksThatTheCertificateNamesTheHost() {
        assumeTrue(RedisServer.supportsTls(), () -> NO_TLS.formatted(RedisServer.executable()));
        // 127.0.0.2 is this machine too, but the certificate names only localhost and 127.0.0.1.
        try (RedisServer redis = RedisServer.builder().tls(certificates).argument("--bind", "127.0.0.1", "127.0.0.2").start()) {
            String streams = "main=kafka://" + testkit.bootstrapServers() + "&feedback=rediss://127.0.0.2:" + redis.port()
                    + "&ca_file=" + certificates.caCertificate();

            Streamback listener = app("listener", streams).listen(topic, (context, message) -> { });
            assertStartFails(listener, "Feedback stream rediss://127.0.0.2:" + redis.port()
                    + " is unavailable: javax.net.ssl.SSLHandshakeException: No subject alternative names matching IP address 127.0.0.2");
        }
    }

    private void assertRoundTrip(String streams, String answer) throws Exception {
        Streamback listener = app("listener", streams)
                .listen(topic, (context, message) -> message.respond(answer));
        listener.startAsync().get(60, TimeUnit.SECONDS);
        Streamback client = app("client", streams);
        show(client.streams());

        Optional<JsonNode> reply = client.send(topic, Map.of("question", "who?")).read(WAIT).map(Reply::value);

        assertThat(reply).map(JsonNode::asText).contains(answer);
    }

    /** Starting fails, with {@code message}, within the connect timeout (a hang would time out the get). */
    private void assertStartFails(Streamback streamback, String message) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> streamback.startAsync().get(CONNECT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(this::show)
                .cause().isInstanceOf(StreamUnavailableException.class)
                .hasMessageContaining(message);
        System.out.printf("refused in %.2f s: %s%n", (System.nanoTime() - start) / 1e9, message);
    }

    private String mainUrl(KafkaMode mode, String password) {
        String kafka = brokers.get(mode).bootstrapServers();
        String ca = "&ca_file=" + certificates.caCertificate();
        return switch (mode) {
            case SASL_PLAIN_PYTHON_SYNTAX -> "main=kafka://" + KAFKA_USER + "@" + password + ":" + kafka;
            case SASL_PLAIN_URI_SYNTAX -> "main=kafka://" + KAFKA_USER + ":" + password + "@" + kafka;
            case SCRAM_SHA_512 -> "main=kafka://" + KAFKA_USER + ":" + password + "@" + kafka + "&sasl_mechanism=SCRAM-SHA-512";
            case SSL -> "main=kafkas://" + kafka + ca;
            case SASL_SSL -> "main=kafkas://" + KAFKA_USER + ":" + password + "@" + kafka + ca;
        };
    }

    private String feedbackUrl(RedisMode mode, boolean wrongPassword) {
        if (mode == RedisMode.TLS) {
            assumeTrue(RedisServer.supportsTls(), () -> NO_TLS.formatted(RedisServer.executable()));
        }
        RedisServer redis = redisServers.get(mode);
        return switch (mode) {
            case PASSWORD -> "redis://:" + (wrongPassword ? WRONG_PASSWORD : REDIS_PASSWORD) + "@127.0.0.1:" + redis.port();
            case ACL_USER -> "redis://" + REDIS_USER + ":" + (wrongPassword ? WRONG_PASSWORD : REDIS_USER_PASSWORD)
                    + "@127.0.0.1:" + redis.port();
            case TLS -> "rediss://" + REDIS_USER + ":" + (wrongPassword ? WRONG_PASSWORD : REDIS_USER_PASSWORD)
                    + "@127.0.0.1:" + redis.port() + "&ca_file=" + certificates.caCertificate();
        };
    }

    private Streamback app(String name, String streams) {
        Streamback streamback = Streamback.builder(Testkit.uniqueName(name))
                .streams(streams)
                .connectTimeout(CONNECT)
                .build();
        opened.add(streamback);
        return streamback;
    }

    /** Keeps what a user would see of {@code shownToUser} (with causes and stack traces), for the password check. */
    private void show(Object shownToUser) {
        if (shownToUser instanceof Throwable error) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            shown.add(trace.toString());
        } else {
            shown.add(String.valueOf(shownToUser));
        }
    }

    private static <T> T timed(String what, Supplier<T> start) {
        long begin = System.nanoTime();
        T server = start.get();
        System.out.printf("%s started in %.2f s%n", what, (System.nanoTime() - begin) / 1e9);
        return server;
    }
}
