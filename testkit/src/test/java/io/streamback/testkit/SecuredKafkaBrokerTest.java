package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIf;

/** Brokers whose client listener demands SASL, TLS or both; each started once for the class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisabledIf(value = "io.streamback.testkit.TestModes#containers",
        disabledReason = "SASL and TLS listeners are processes mode only; ContainerModeTest checks they are refused")
class SecuredKafkaBrokerTest {

    private static final String PASSWORD = "alice-Secret-1";

    private KafkaBroker plain;
    private KafkaBroker scramOverTls;
    private KafkaBroker tls;

    @BeforeAll
    void startBrokers() {
        TestCertificates certificates = TestCertificates.shared();
        plain = timed(KafkaBroker.builder().sasl("PLAIN").user("alice", PASSWORD).user("bob", "bob-Secret-2"));
        scramOverTls = timed(KafkaBroker.builder().sasl("SCRAM-SHA-256").user("alice", PASSWORD).tls(certificates));
        tls = timed(KafkaBroker.builder().tls(certificates));
    }

    @AfterAll
    void closeBrokers() {
        for (KafkaBroker broker : new KafkaBroker[] {plain, scramOverTls, tls}) {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void saslPlainBrokerTakesItsUsers() throws Exception {
        assertThat(plain.securityProtocol()).isEqualTo("SASL_PLAINTEXT");
        assertThat(plain.saslMechanism()).contains("PLAIN");
        assertRoundTrip(plain, plain.clientProperties());

        Map<String, Object> bob = new HashMap<>(plain.clientProperties());
        bob.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"bob\" password=\"bob-Secret-2\";");
        assertRoundTrip(plain, bob);
    }

    @Test
    void saslPlainBrokerRefusesAWrongPasswordAndNoPassword() {
        Map<String, Object> wrong = new HashMap<>(plain.clientProperties());
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"alice\" password=\"wrong\";");
        assertThatThrownBy(() -> describeCluster(wrong)).cause().isInstanceOf(SaslAuthenticationException.class);

        // A client that doesn't speak SASL gets no answer at all.
        assertThatThrownBy(() -> describeCluster(Map.of("bootstrap.servers", plain.bootstrapServers())))
                .cause().isInstanceOf(TimeoutException.class);
    }

    @Test
    void scramOverTlsBroker() throws Exception {
        assertThat(scramOverTls.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(scramOverTls.saslMechanism()).contains("SCRAM-SHA-256");
        assertRoundTrip(scramOverTls, scramOverTls.clientProperties());

        Map<String, Object> wrong = new HashMap<>(scramOverTls.clientProperties());
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"alice\" password=\"wrong\";");
        assertThatThrownBy(() -> describeCluster(wrong)).cause().isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void tlsBrokerIsTrustedThroughTheTestAuthorityOnly() throws Exception {
        assertThat(tls.securityProtocol()).isEqualTo("SSL");
        assertThat(tls.saslMechanism()).isEmpty();
        assertRoundTrip(tls, tls.clientProperties());

        Map<String, Object> jvmTrust = new HashMap<>(tls.clientProperties());
        jvmTrust.remove("ssl.truststore.type");
        jvmTrust.remove("ssl.truststore.location");
        assertThatThrownBy(() -> describeCluster(jvmTrust)).cause().isInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void streamsUrlsCarryWhatClientsNeed() {
        String caFile = TestCertificates.shared().caCertificate().toString();
        assertThat(plain.streamsUrl()).isEqualTo("main=kafka://alice:" + PASSWORD + "@" + plain.bootstrapServers()
                + "&sasl_mechanism=PLAIN");
        assertThat(scramOverTls.streamsUrl()).isEqualTo("main=kafkas://alice:" + PASSWORD + "@"
                + scramOverTls.bootstrapServers() + "&sasl_mechanism=SCRAM-SHA-256&ca_file=" + caFile);
        assertThat(tls.streamsUrl()).isEqualTo("main=kafkas://" + tls.bootstrapServers() + "&ca_file=" + caFile);
    }

    @Test
    void restartKeepsTheSecuredListenerAndTheScramUsers() throws Exception {
        String address = scramOverTls.bootstrapServers();

        scramOverTls.restart();

        assertThat(scramOverTls.bootstrapServers()).isEqualTo(address);
        assertRoundTrip(scramOverTls, scramOverTls.clientProperties());
    }

    @Test
    void createTopicWorksThoughTheClientListenerIsSecured() {
        scramOverTls.createTopic(Testkit.uniqueName("secured"), 2);
    }

    @Test
    void misconfiguredSecurityIsRefusedBeforeStarting() {
        assertThatThrownBy(() -> KafkaBroker.builder().sasl("PLAIN").start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs at least one user");
        assertThatThrownBy(() -> KafkaBroker.builder().user("a", "b").start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs sasl(mechanism)");
        assertThatThrownBy(() -> KafkaBroker.builder().sasl("GSSAPI"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GSSAPI");
    }

    private static KafkaBroker timed(KafkaBroker.Builder builder) {
        long start = System.nanoTime();
        KafkaBroker broker = builder.start();
        System.out.printf("Kafka broker %s %s started in %.1f s%n", broker.securityProtocol(),
                broker.saslMechanism().orElse(""), (System.nanoTime() - start) / 1e9);
        return broker;
    }

    private static void describeCluster(Map<String, Object> props) throws Exception {
        Map<String, Object> admin = new HashMap<>(props);
        admin.put("default.api.timeout.ms", 3_000);
        admin.put("request.timeout.ms", 3_000);
        try (Admin client = Admin.create(admin)) {
            client.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static void assertRoundTrip(KafkaBroker broker, Map<String, Object> props) throws Exception {
        String topic = Testkit.uniqueName("secured");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "over " + broker.securityProtocol())).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumerProps = new HashMap<>(props);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, Testkit.uniqueName("group"));
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("over " + broker.securityProtocol());
        }
    }
}
