package io.streamback.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsUrlTest {

    @Test
    void parsesThePythonReadmeUrl() {
        StreamsUrl url = StreamsUrl.parse("main=kafka://kafka:9092&feedback=redis://redis:6379");

        assertThat(url.main().servers()).containsExactly(new HostPort("kafka", 9092));
        assertThat(url.main().sasl()).isEmpty();
        assertThat(url.main().tls()).isFalse();
        assertThat(url.main().securityProtocol()).isEqualTo("PLAINTEXT");
        assertThat(url.feedback()).contains(
                new RedisEndpoint(new RedisTopology.Single(new HostPort("redis", 6379)), false, Optional.empty(), 0, Optional.empty()));
        assertThat(url.topicsPrefix()).isEmpty();
        assertThat(url.group()).isEmpty();
    }

    @Test
    void parsesSeveralBrokersPrefixAndGroup() {
        StreamsUrl url = StreamsUrl.parse(
                "main=kafka://k1:9092,k2:9093&feedback=redis://r:6380/2&topics_prefix=staging&group=billing");

        assertThat(url.main().bootstrapServers()).isEqualTo("k1:9092,k2:9093");
        assertThat(url.feedback().orElseThrow().database()).isEqualTo(2);
        assertThat(url.topicsPrefix()).contains("staging");
        assertThat(url.group()).contains("billing");
    }

    @Test
    void mainAloneIsOneWay() {
        assertThat(StreamsUrl.parse("main=kafka://localhost:9092").feedback()).isEmpty();
    }

    @Test
    void defaultPortsApplyWhenOmitted() {
        StreamsUrl url = StreamsUrl.parse("main=kafka://kafka&feedback=redis://redis");

        assertThat(url.main().servers()).containsExactly(new HostPort("kafka", 9092));
        assertThat(url.feedback().orElseThrow().topology()).isEqualTo(new RedisTopology.Single(new HostPort("redis", 6379)));
    }

    @Test
    void sentinelUrlNamesTheSentinelsTheMasterAndBothCredentials() {
        RedisEndpoint redis = StreamsUrl.parse("main=kafka://k:9092&feedback=redis-sentinel://app:data%40pw@:sentinel-pw@"
                + "s1:26380,s2,[::1]:26381/mymaster/3").feedback().orElseThrow();

        assertThat(redis.topology()).isEqualTo(new RedisTopology.Sentinel(
                List.of(new HostPort("s1", 26380), new HostPort("s2", 26379), new HostPort("::1", 26381)), "mymaster",
                Optional.of(new Credentials(Optional.empty(), "sentinel-pw"))));
        assertThat(redis.credentials()).contains(new Credentials(Optional.of("app"), "data@pw"));
        assertThat(redis.database()).isEqualTo(3);
        assertThat(redis.tls()).isFalse();
        assertThat(redis).hasToString("redis-sentinel://app:****@:****@s1:26380,s2:26379,[::1]:26381/mymaster/3");
        assertThat(redis.hasCredentials()).isTrue();
    }

    @Test
    void sentinelCredentialsAloneAndTls() {
        RedisEndpoint sentinelOnly = StreamsUrl.parse("main=kafka://k:9092&feedback=rediss-sentinel://@:spw@s1/m")
                .feedback().orElseThrow();
        RedisEndpoint none = StreamsUrl.parse("main=kafka://k:9092&feedback=redis-sentinel://s1:1,s2:2/m.1")
                .feedback().orElseThrow();

        assertThat(sentinelOnly.credentials()).isEmpty();
        assertThat(sentinelOnly.tls()).isTrue();
        assertThat(sentinelOnly.hasCredentials()).isTrue();
        assertThat(sentinelOnly).hasToString("rediss-sentinel://@:****@s1:26379/m");
        assertThat(none.hasCredentials()).isFalse();
        assertThat(none).hasToString("redis-sentinel://s1:1,s2:2/m.1");
    }

    @Test
    void clusterUrlNamesItsSeedNodes() {
        RedisEndpoint redis = StreamsUrl.parse("main=kafka://k:9092&feedback=rediss-cluster://app:pw@n1:7000,n2:7001,n3")
                .feedback().orElseThrow();

        assertThat(redis.topology()).isEqualTo(new RedisTopology.Cluster(
                List.of(new HostPort("n1", 7000), new HostPort("n2", 7001), new HostPort("n3", 6379))));
        assertThat(redis.credentials()).contains(new Credentials(Optional.of("app"), "pw"));
        assertThat(redis.tls()).isTrue();
        assertThat(redis).hasToString("rediss-cluster://app:****@n1:7000,n2:7001,n3:6379");
        assertThat(StreamsUrl.parse("main=kafka://k:9092&feedback=redis-cluster://n1:7000/0").feedback().orElseThrow()
                .database()).isZero();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "main=kafka://k:9092&feedback=redis-sentinel://:pw@s1:26379 | feedback: the master's name is missing: "
                    + "redis-sentinel://HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB] (at character 59)",
            "main=kafka://k:9092&feedback=redis-sentinel://s1/my*master | feedback: master name 'my*master' may hold only",
            "main=kafka://k:9092&feedback=redis-sentinel://s1/m/x | feedback: database 'x' is not a number",
            "main=kafka://k:9092&feedback=redis-cluster://:pw@n1:7000/2 | feedback: a Redis Cluster has only database 0",
            "main=kafka://k:9092&feedback=redis://:pw@r1:6379,r2:6379 | feedback: redis:// takes one server; for several "
                    + "write redis-sentinel:// or redis-cluster://",
            "main=kafka://k:9092&feedback=redis-replicas://r1 | feedback: unknown scheme 'redis-replicas' (the feedback "
                    + "stream is Redis: redis://HOST:PORT or rediss://HOST:PORT, redis-sentinel://",
            "main=kafka://k:9092&feedback=redis-cluster://n1:7000,:7001 | feedback: ':7001' has no host",
            "main=kafka://k:9092&feedback=redis-sentinel://app:pw@x@:pw@x@s1/m | feedback: more than two credentials "
                    + "before the sentinels",
    })
    void badSentinelAndClusterUrlsNameWhatIsWrong(String url, String problem) {
        assertThatThrownBy(() -> StreamsUrl.parse(url))
                .isExactlyInstanceOf(InvalidStreamsUrlException.class)
                .hasMessageContaining(problem)
                .hasMessageStartingWith("Invalid streams URL 'main=kafka://k:9092&feedback=redis")
                .message().doesNotContain("pw");
    }

    @Test
    void pythonSaslSyntaxMeansSaslPlain() {
        StreamsUrl url = StreamsUrl.parse("main=kafka://user@1234:kafka:9092&feedback=redis://redis:6379");

        assertThat(url.main().servers()).containsExactly(new HostPort("kafka", 9092));
        assertThat(url.main().sasl()).contains(new Credentials(Optional.of("user"), "1234"));
        assertThat(url.main().saslMechanism()).isEqualTo(SaslMechanism.PLAIN);
        assertThat(url.main().securityProtocol()).isEqualTo("SASL_PLAINTEXT");
    }

    @Test
    void uriUserInfoMeansSaslPlainToo() {
        StreamsUrl url = StreamsUrl.parse("main=kafka://user:p%40ss@k1:9092,k2:9092");

        assertThat(url.main().sasl()).contains(new Credentials(Optional.of("user"), "p@ss"));
        assertThat(url.main().servers()).hasSize(2);
    }

    @Test
    void redisPasswordUserAndTls() {
        RedisEndpoint plain = StreamsUrl.parse("main=kafka://k:1&feedback=redis://:secret@r:6379").feedback().orElseThrow();
        RedisEndpoint acl = StreamsUrl.parse("main=kafka://k:1&feedback=rediss://app:secret@r:6380").feedback().orElseThrow();

        assertThat(plain.credentials()).contains(new Credentials(Optional.empty(), "secret"));
        assertThat(plain.tls()).isFalse();
        assertThat(acl.credentials()).contains(new Credentials(Optional.of("app"), "secret"));
        assertThat(acl.tls()).isTrue();
    }

    @Test
    void kafkasMeansTlsAndSaslMechanismPicksScram(@TempDir Path dir) throws IOException {
        Path ca = pem(dir);

        StreamsUrl tls = StreamsUrl.parse("main=kafkas://k:9093&ca_file=" + ca);
        StreamsUrl scram = StreamsUrl.parse("main=kafkas://user@secret:k:9093&sasl_mechanism=scram-sha-512");
        StreamsUrl scramPlaintext = StreamsUrl.parse("main=kafka://user:secret@k:9092&sasl_mechanism=SCRAM-SHA-256");

        assertThat(tls.main().securityProtocol()).isEqualTo("SSL");
        assertThat(tls.main().caFile()).contains(new CaFile(ca));
        assertThat(scram.main().securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(scram.main().saslMechanism()).isEqualTo(SaslMechanism.SCRAM_SHA_512);
        assertThat(scram.main().caFile()).isEmpty();
        assertThat(scramPlaintext.main().securityProtocol()).isEqualTo("SASL_PLAINTEXT");
        assertThat(scramPlaintext.main().saslMechanism()).isEqualTo(SaslMechanism.SCRAM_SHA_256);
    }

    @Test
    void caFileIsForTheStreamsThatUseTls(@TempDir Path dir) throws IOException {
        Path ca = pem(dir);

        StreamsUrl redisTls = StreamsUrl.parse("main=kafka://k:9092&feedback=rediss://:pw@r:6380&ca_file=" + ca);
        StreamsUrl both = StreamsUrl.parse("main=kafkas://k:9093&feedback=rediss://r:6380&ca_file=" + ca);

        assertThat(redisTls.main().caFile()).isEmpty();
        assertThat(redisTls.feedback().orElseThrow().caFile()).contains(new CaFile(ca));
        assertThat(both.main().caFile()).contains(new CaFile(ca));
        assertThat(both.feedback().orElseThrow().caFile()).contains(new CaFile(ca));
    }

    @Test
    void toStringKeepsTheSecuritySettingsButNoPassword(@TempDir Path dir) throws IOException {
        Path ca = pem(dir);
        String url = "main=kafkas://user:topsecret@k:9093&feedback=rediss://app:alsosecret@r:6380"
                + "&sasl_mechanism=SCRAM-SHA-512&ca_file=" + ca;

        assertThat(StreamsUrl.parse(url).toString()).isEqualTo("main=kafkas://user:****@k:9093"
                + "&feedback=rediss://app:****@r:6380&sasl_mechanism=SCRAM-SHA-512&ca_file=" + ca);
    }

    @Test
    void badCaFilesAreNamed(@TempDir Path dir) throws IOException {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> StreamsUrl.parse("main=kafkas://k:1&ca_file=" + dir.resolve("missing.pem")))
                .isInstanceOf(InvalidStreamsUrlException.class)
                .hasMessageContaining("ca_file: '" + dir.resolve("missing.pem") + "' is not a readable file");
        assertThatThrownBy(() -> StreamsUrl.parse("main=kafkas://k:1&ca_file=" + notPem))
                .isInstanceOf(InvalidStreamsUrlException.class)
                .hasMessageContaining("ca_file: '" + notPem + "'");
        assertThatThrownBy(() -> StreamsUrl.parse("main=kafkas://k:1&ca_file=" + empty))
                .isInstanceOf(InvalidStreamsUrlException.class)
                .hasMessageContaining("ca_file: '" + empty + "' holds no certificate");
        assertThatThrownBy(() -> StreamsUrl.parse("main=kafka://k:1&feedback=redis://r&ca_file=" + pem(dir)))
                .isInstanceOf(InvalidStreamsUrlException.class)
                .hasMessageContaining("ca_file is given but no stream uses TLS");
    }

    @Test
    void ipv6Hosts() {
        StreamsUrl url = StreamsUrl.parse("main=kafka://[::1]:9092&feedback=redis://[::1]");

        assertThat(url.main().servers()).containsExactly(new HostPort("::1", 9092));
        assertThat(url.main().bootstrapServers()).isEqualTo("[::1]:9092");
        assertThat(url.feedback().orElseThrow().topology()).isEqualTo(new RedisTopology.Single(new HostPort("::1", 6379)));
    }

    @Test
    void toStringMasksEveryPassword() {
        String shown = StreamsUrl.parse(
                "main=kafka://user@topsecret:kafka:9092&feedback=redis://app:alsosecret@redis:6379&group=g").toString();

        assertThat(shown).doesNotContain("topsecret").doesNotContain("alsosecret");
        assertThat(shown).isEqualTo("main=kafka://user:****@kafka:9092&feedback=redis://app:****@redis:6379&group=g");
    }

    @Test
    void topicsPrefixIsAppliedOnceWithADot() {
        StreamsUrl url = StreamsUrl.parse("main=kafka://k:9092&topics_prefix=staging");

        assertThat(url.topicName("orders")).isEqualTo("staging.orders");
        assertThat(url.topicName("staging.orders")).isEqualTo("staging.orders");
        assertThat(StreamsUrl.parse("main=kafka://k:9092").topicName("orders")).isEqualTo("orders");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                           | Streams URL is empty",
            "feedback=redis://r:6379                      | the required setting 'main' is missing",
            "main=http://k:9092                           | main: unknown scheme 'http'",
            "main=k:9092                                  | main: 'k:9092' has no scheme",
            "main=kafka://                                | main: no host given after kafka://",
            "main=kafka://k:99999                         | main: port 99999 of 'k:99999' is out of range",
            "main=kafka://k:abc                           | main: port 'abc' of 'k:abc' is not a number",
            "main=kafka://k:9092,                         | main: '' has no host",
            "main=kafka://k:9092&feedback=kafka://k:9092  | feedback: unknown scheme 'kafka'",
            "main=kafka://k:9092&feedback=                | setting 'feedback' has an empty value",
            "main=kafka://k:9092&main=kafka://j:9092      | setting 'main' is given twice",
            "main=kafka://k:9092&timeout=5                | unknown setting 'timeout'",
            "main=kafka://k:9092&oops                     | setting 'oops' has no '='",
            "main=kafka://k:9092&topics_prefix=a/b        | topics_prefix 'a/b' may hold only",
            "main=kafka://k:9092&feedback=redis://r:6379/x | feedback: database 'x' is not a number",
            "main=kafka://k_1!:9092                       | main: 'k_1!' is not a valid host name",
            "main=kafkass://k:9092                        | main: unknown scheme 'kafkass'",
            "main=kafka://u:p@k:9092&sasl_mechanism=GSSAPI | sasl_mechanism 'GSSAPI' is unknown (known: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)",
            "main=kafka://k:9092&sasl_mechanism=PLAIN     | sasl_mechanism needs credentials in main",
            "main=kafka://k:9092&ca_file=                 | setting 'ca_file' has an empty value",
    })
    void malformedUrlsNameTheBadPart(String url, String problem) {
        assertThatThrownBy(() -> StreamsUrl.parse(url))
                .isInstanceOf(InvalidStreamsUrlException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void errorsNeverShowPasswords() {
        for (String url : List.of(
                "main=kafka://user@hunter2:kafka:notaport",
                "main=kafka://user:hunter2@kafka:notaport",
                "main=kafka://k:9092&feedback=redis://:hunter2@r:x",
                "main=kafka://k:9092&feedback=redis://:hunter2@r:1&bogus=1",
                "main=kafkas://user:hunter2@k:9092&sasl_mechanism=MD5",
                "main=kafkas://user@hunter2:k:9092&ca_file=/no/such/ca.pem",
                "main=kafka://user:hunter2@k:9092&feedback=rediss://app:hunter2@r&ca_file=/no/such/ca.pem")) {
            assertThatThrownBy(() -> StreamsUrl.parse(url))
                    .isInstanceOf(InvalidStreamsUrlException.class)
                    .message().doesNotContain("hunter2").contains("****");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // A raw '&' splits the password into the next setting.
            "main=kafka://alice:pw4cr&x@127.0.0.1:9092 | main=kafka://****@127.0.0.1:9092 | setting '****@127.0.0.1:9092' has no '=' (expected name=value) (at character 26); in a user name or password, write '&' as %26",
            "main=kafka://k:9092&feedback=redis://bob:pw4cr&z@r:6379 | main=kafka://k:9092&feedback=redis://****@r:6379 | setting '****@r:6379' has no '='",
            "main=kafka://alice:pw4cr&#x@127.0.0.1:9092 | main=kafka://****@127.0.0.1:9092 | setting '****@127.0.0.1:9092' has no '='",
            "main=kafka://alice:pw4cr&?x=y@127.0.0.1:9092 | main=kafka://****@127.0.0.1:9092 | unknown setting '****' (known:",
            // No '=' at all.
            "mainkafka://alice:pw4cr@127.0.0.1:9092 | mainkafka://****@127.0.0.1:9092 | setting 'mainkafka://****@127.0.0.1:9092' has no '=' (expected name=value) (at character 1)",
            // A raw '@': everything up to the last '@' is masked.
            "main=kafka://carol:pw@4c/rd%&=@127.0.0.1:9092 | main=kafka://****@127.0.0.1:9092 | (at character",
            // Python syntax: the password follows the '@'.
            "main=kafka://user@pw4cr:kafka:notaport | main=kafka://****@****:notaport | main: port 'notaport' of '****:notaport' is not a number (at character 31)",
            "main=kafka://user@pw4cr:k1:9092,k2:99999 | main=kafka://****@****:9092,k2:99999 | main: port 99999 of 'k2:99999' is out of range 1-65535 (at character 36)",
            "main=kafka:/alice@pw4c&r:localhost:9092&group=g | main=kafka:/****@****:localhost:9092&group=g | setting '****:localhost:9092' has no '='",
            "main=kafka://user@pw&4cr:kafka:9092 | main=kafka://****@****:kafka:9092 | setting '****:kafka:9092' has no '='",
            "main=kafka://user@pw:4&cr:kafka:9092 | main=kafka://****@****:kafka:9092 | setting '****:kafka:9092' has no '='",
            // Not even '//'.
            "main=kafka:/alice:pw4cr@k:9092 | main=kafka:/****@k:9092 | main: 'kafka:/****@k:9092' has no scheme",
            "main=kafka:/alice:pw4cr@k:9092&feedback=redis://r:6379 | main=kafka:/****@k:9092&feedback=redis://r:6379 | main: 'kafka:/****@k:9092' has no scheme",
            "main=kafka://k:9092&feedback=redis:/:pw4cr@r:6379 | main=kafka://k:9092&feedback=redis:/****@r:6379 | feedback: 'redis:/****@r:6379' has no scheme",
            "main=kafka://k:9092&feedback=redis:/:pw4cr//@r:6379 | main=kafka://k:9092&feedback=redis:/****@r:6379 | feedback: 'redis:/****@r:6379' has no scheme",
            "main=kafka:alice:p:/w4cr@k:9092 | main=****@k:9092 | main: '****@k:9092' has no scheme",
    })
    void malformedUrlsAreQuotedRedactedWithSettingAndPosition(String url, String redacted, String problem) {
        assertThat(StreamsUrl.redact(url)).isEqualTo(redacted);
        assertThatThrownBy(() -> StreamsUrl.parse(url))
                .isInstanceOf(InvalidStreamsUrlException.class)
                .hasMessageStartingWith("Invalid streams URL '" + redacted + "': ")
                .hasMessageContaining(problem)
                .message().doesNotContain("pw").doesNotContain("4cr").doesNotContain("4c/rd");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "main=kafka://alice:pw%zz4cr@k:9092 | main: the password has a '%' not followed by two hex digits (at character 22)",
            "main=kafka://alice:pw4cr%@k:9092 | main: the password has a '%' not followed by two hex digits (at character 25)",
            "main=kafka://al%g1ce:pw4cr@k:9092 | main: the user name has a '%' not followed by two hex digits (at character 16)",
            "main=kafka://k:9092&feedback=redis://:pw%g4cr@r | feedback: the password has a '%' not followed by two hex digits (at character 41)",
            "main=kafka://alice:pw%C3%284cr@k:9092 | main: the password's percent-escapes are not UTF-8 (at character 20)",
    })
    void badPercentEscapesAreOrdinaryErrors(String url, String problem) {
        assertThatThrownBy(() -> StreamsUrl.parse(url))
                .isExactlyInstanceOf(InvalidStreamsUrlException.class)
                .hasNoCause()
                .hasMessageContaining(problem)
                .message().doesNotContain("pw").doesNotContain("4cr").doesNotContain("zz").doesNotContain("\n");
    }

    @Test
    void percentEscapesAreDecodedAndPlusStaysPlus() {
        StreamsUrl url = StreamsUrl.parse("main=kafka://al%69ce:p%26w%40rd+%25%E2%82%AC@k:9092");

        assertThat(url.main().sasl()).contains(new Credentials(Optional.of("alice"), "p&w@rd+%\u20ac"));
    }

    @Test
    void aUserWithoutAPasswordIsRefusedAsAmbiguous() {
        for (String url : List.of("main=kafka://alice@127.0.0.1:9092", "main=kafka://alice@kafka:9092,k2:9092")) {
            assertThatThrownBy(() -> StreamsUrl.parse(url))
                    .isInstanceOf(InvalidStreamsUrlException.class)
                    .hasMessageContaining("main: '****@****:9092")
                    .hasMessageContaining("is ambiguous: a user name needs a password")
                    .hasMessageContaining("kafka://USER:PASSWORD@HOST:PORT")
                    .hasMessageContaining("kafka://USER@PASSWORD:HOST:PORT")
                    .hasMessageEndingWith("(at character 14)");
        }
        // The Python syntax with a host name is no guess: it stays accepted.
        assertThat(StreamsUrl.parse("main=kafka://alice@secret:kafka").main().sasl())
                .contains(new Credentials(Optional.of("alice"), "secret"));
    }

    /** A real PEM certificate: the testkit's authority. */
    private static Path pem(Path dir) throws IOException {
        return Files.copy(TestCertificates.shared().caCertificate(), dir.resolve("ca-" + System.nanoTime() + ".pem"));
    }
}
