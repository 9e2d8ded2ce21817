package io.streamback.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.config.CaFile;
import io.streamback.config.InvalidStreamsUrlException;
import io.streamback.config.RedisEndpoint;
import io.streamback.config.StreamsUrl;
import io.streamback.kafka.KeyPartitioner;
import io.streamback.kafka.TopicDefaults;
import io.streamback.testkit.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerEnvironmentTest {
    private static final String STREAMS = "main=kafka://kafka:9092&feedback=redis://redis:6379";

    @Test
    void defaultsWhenOnlyTheStreamsUrlIsSet() {
        WorkerEnvironment env = WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS));

        assertThat(env).isEqualTo(new WorkerEnvironment(STREAMS, Optional.empty(), Optional.empty(), Optional.empty(),
                8080, Optional.empty(), Duration.ofSeconds(30), Optional.empty(), 0, Optional.of("{topic}.dlt"),
                KeyPartitioner.CRC32, Optional.empty()));
    }

    @Test
    void readsEveryVariable() {
        WorkerEnvironment env = WorkerEnvironment.from(Map.of(
                "STREAMBACK_STREAMS", STREAMS,
                "STREAMBACK_NAME", "billing",
                "STREAMBACK_APP", "com.example.BillingApp",
                "STREAMBACK_TOPICS", " invoices, refunds ,",
                "STREAMBACK_HTTP_PORT", "9090",
                "STREAMBACK_SHUTDOWN_TIMEOUT_SECONDS", "45",
                "STREAMBACK_MAX_SECONDS", "3600",
                "STREAMBACK_MAX_MEMORY_MB", "512",
                "STREAMBACK_DEAD_LETTER_TOPIC", "dead.{topic}",
                "STREAMBACK_KEY_PARTITIONER", "Murmur2"));

        assertThat(env.name()).contains("billing");
        assertThat(env.appClass()).contains("com.example.BillingApp");
        assertThat(env.topics()).contains(Set.of("invoices", "refunds"));
        assertThat(env.httpPort()).isEqualTo(9090);
        assertThat(env.shutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(env.maxAge()).contains(Duration.ofHours(1));
        assertThat(env.maxMemoryMb()).isEqualTo(512);
        assertThat(env.deadLetterTopic()).contains("dead.{topic}");
        assertThat(env.keyPartitioner()).isEqualTo(KeyPartitioner.MURMUR2);
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_CREATE_MISSING_TOPICS", "6:3"))
                .createMissingTopics()).contains(new TopicDefaults(6, Optional.of((short) 3)));
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_CREATE_MISSING_TOPICS", "4"))
                .createMissingTopics()).contains(new TopicDefaults(4, Optional.empty()));
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_DEAD_LETTER_TOPIC", "off"))
                .deadLetterTopic()).isEmpty();
    }

    @Test
    void httpAddressIsAnAddressOfThisHost() throws UnknownHostException {
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_HTTP_ADDRESS", " 127.0.0.1 "))
                .httpAddress()).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_HTTP_ADDRESS", "::"))
                .httpAddress()).hasValueSatisfying(address -> assertThat(address.isAnyLocalAddress()).isTrue());
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS)).httpAddress()).isEmpty();

        // 192.0.2.0/24 is reserved for documentation: no host has it.
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_HTTP_ADDRESS", "192.0.2.7")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("STREAMBACK_HTTP_ADDRESS='192.0.2.7' (192.0.2.7) is no address of this host");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_HTTP_ADDRESS", "300.1.1.1")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("STREAMBACK_HTTP_ADDRESS='300.1.1.1' is neither an IP address nor a known host name");
    }

    @Test
    void streambackCaFileIsTheCaFileOfATlsUrlThatNamesNone() {
        String ca = TestCertificates.shared().caCertificate().toString();
        String tls = "main=kafkas://kafka:9093&feedback=rediss://redis:6380";

        WorkerEnvironment env = WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", tls, "STREAMBACK_CA_FILE", ca));

        assertThat(env.streams()).isEqualTo(tls + "&ca_file=" + ca);
        StreamsUrl url = StreamsUrl.parse(env.streams());
        assertThat(url.main().caFile()).map(CaFile::path).contains(Path.of(ca));
        assertThat(url.feedback().flatMap(RedisEndpoint::caFile)).map(CaFile::path).contains(Path.of(ca));
    }

    @Test
    void theUrlsOwnCaFileWinsAndAUrlWithoutTlsNeedsNone(@TempDir Path dir) throws IOException {
        String ca = TestCertificates.shared().caCertificate().toString();
        Path other = Files.copy(Path.of(ca), dir.resolve("other.pem"));
        String own = "main=kafkas://kafka:9093&ca_file=" + other;

        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", own, "STREAMBACK_CA_FILE", ca)).streams())
                .isEqualTo(own);
        // The operator sets the variable whenever the Secret has a CA; a plaintext URL simply doesn't use it.
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_CA_FILE", ca)).streams())
                .isEqualTo(STREAMS);
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS,
                "STREAMBACK_CA_FILE", dir.resolve("missing.pem").toString())).streams()).isEqualTo(STREAMS);
        // Unlike a ca_file the URL names itself, which says the URL was meant to use TLS.
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS + "&ca_file=" + ca)))
                .isInstanceOf(InvalidStreamsUrlException.class).hasMessageContaining("no stream uses TLS");
    }

    @Test
    void anUnusableCaFileIsNamedAsStreambackCaFile(@TempDir Path dir) throws IOException {
        String tls = "main=kafkas://kafka:9093";
        Path missing = dir.resolve("missing.pem");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "not a certificate");

        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", tls,
                "STREAMBACK_CA_FILE", missing.toString())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("STREAMBACK_CA_FILE: '" + missing + "' is not a readable file");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", tls,
                "STREAMBACK_CA_FILE", notPem.toString())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("STREAMBACK_CA_FILE: '" + notPem + "' holds no");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", tls,
                "STREAMBACK_CA_FILE", "/certs/a&b.pem")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("STREAMBACK_CA_FILE='/certs/a&b.pem': the path may not contain '&'");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("STREAMBACK_STREAMS is not set");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_HTTP_PORT", "web")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("STREAMBACK_HTTP_PORT='web' is not a whole number");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_HTTP_PORT", "70000")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("STREAMBACK_HTTP_PORT=70000 is out of range 0-65535");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_TOPICS", " , ")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("STREAMBACK_TOPICS");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS,
                "STREAMBACK_DEAD_LETTER_TOPIC", "bad topic")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("STREAMBACK_DEAD_LETTER_TOPIC='bad topic'");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS,
                "STREAMBACK_KEY_PARTITIONER", "random")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("STREAMBACK_KEY_PARTITIONER: 'random' is not a key partitioner: use crc32");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS,
                "STREAMBACK_CREATE_MISSING_TOPICS", "6:0")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("STREAMBACK_CREATE_MISSING_TOPICS: a topic needs a replication factor of at least 1, got 0");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS,
                "STREAMBACK_CREATE_MISSING_TOPICS", "six")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("STREAMBACK_CREATE_MISSING_TOPICS: 'six' is not PARTITIONS or PARTITIONS:REPLICATION, e.g. 6 or 6:3");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", "main=http://x:1")))
                .isInstanceOf(InvalidStreamsUrlException.class).hasMessageContaining("unknown scheme 'http'");
    }
}
