package io.streamback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamback.Streamback;
import io.streamback.cli.CliRunner.Result;
import io.streamback.testkit.KafkaBroker;
import io.streamback.testkit.RedisServer;
import io.streamback.testkit.TestCertificates;
import io.streamback.testkit.Testkit;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamback send} as a child process over SASL_SSL with SCRAM-SHA-512 to Kafka and TLS with
 * an ACL user to Redis, logging everything down to DEBUG (the Kafka and Redis clients' own lines
 * included): the reply comes back and no password is printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredSendCommandTest {
    private static final String KAFKA_PASSWORD = "cli-kafka-Secret-51";
    private static final String REDIS_PASSWORD = "cli-redis-Secret-52";
    private static final String WRONG_PASSWORD = "cli-wrong-Secret-53";

    private KafkaBroker kafka;
    private RedisServer redis;

    @TempDir
    Path logs;

    @BeforeAll
    void startServers() {
        assumeTrue(RedisServer.supportsTls(), "The redis-server in use (" + RedisServer.executable()
                + ") was built without TLS. Point " + RedisServer.EXECUTABLE_VARIABLE
                + " at a redis-server built with TLS (e.g. Debian's redis-server package) to run this test.");
        TestCertificates certificates = TestCertificates.shared();
        kafka = KafkaBroker.builder().sasl("SCRAM-SHA-512").user("cli", KAFKA_PASSWORD).tls(certificates).start();
        redis = RedisServer.builder().user("cli", REDIS_PASSWORD).tls(certificates).start();
    }

    @AfterAll
    void stopServers() {
        if (redis != null) {
            redis.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void sendsAndReadsTheReplyWithoutPrintingAPassword() throws Exception {
        String streams = kafka.streamsUrl() + "&feedback=" + redis.url();
        String topic = Testkit.uniqueName("secured-cli");
        try (Streamback listener = Streamback.create(Testkit.uniqueName("listener"), streams)) {
            listener.listen(topic, (context, message) -> message.respond("secured reply"));
            listener.startAsync().get(60, TimeUnit.SECONDS);

            Result result = debugLoggingCli(streams).run("send", topic, "{\"n\": 1}", "--wait", "30s");

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdoutLines()).containsExactly("\"secured reply\"");
            assertThat(result.stderr()).contains("DEBUG org.apache.kafka").contains("SASL_SSL")
                    .doesNotContain(KAFKA_PASSWORD).doesNotContain(REDIS_PASSWORD);
        }
    }

    @Test
    void streambackCaFileServesAsTheCaFileOfAUrlThatNamesNone() throws Exception {
        // How the operator's pods get the CA: the Secret's caKey mounted as a file the variable names.
        Path ca = TestCertificates.shared().caCertificate();
        String streams = kafka.streamsUrl() + "&feedback=" + redis.url();
        String withoutCaFile = streams.replace("&ca_file=" + ca, "");
        assertThat(withoutCaFile).doesNotContain("ca_file");
        String topic = Testkit.uniqueName("ca-env-cli");
        try (Streamback listener = Streamback.create(Testkit.uniqueName("listener"), streams)) {
            listener.listen(topic, (context, message) -> message.respond("trusted"));
            listener.startAsync().get(60, TimeUnit.SECONDS);

            Result result = CliRunner.fromClasspath(logs)
                    .env("STREAMBACK_STREAMS", withoutCaFile)
                    .env("STREAMBACK_CA_FILE", ca.toString())
                    .run("send", topic, "{\"n\": 1}", "--wait", "30s");

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdoutLines()).containsExactly("\"trusted\"");
        }
    }

    @Test
    void aWrongPasswordExitsWithCode1NamingTheRefusal() throws Exception {
        String streams = kafka.streamsUrl().replace(KAFKA_PASSWORD, WRONG_PASSWORD) + "&feedback=" + redis.url();

        Result result = debugLoggingCli(streams).run("send", Testkit.uniqueName("secured-cli"), "{}");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(RunCommand.FAILED);
        assertThat(result.stderr())
                .contains("on Kafka " + kafka.bootstrapServers()
                        + ": SASL authentication failed for user 'cli' with SCRAM-SHA-512 over SASL_SSL")
                .doesNotContain(WRONG_PASSWORD).doesNotContain(KAFKA_PASSWORD).doesNotContain(REDIS_PASSWORD);
    }

    @Test
    void noCredentialsExitWithCode1NamingThemMissing() throws Exception {
        String streams = "main=kafkas://" + kafka.bootstrapServers() + "&ca_file=" + TestCertificates.shared().caCertificate();

        Result result = debugLoggingCli(streams).run("send", Testkit.uniqueName("secured-cli"), "{}");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(RunCommand.FAILED);
        assertThat(result.stderr()).contains("streamback send: Could not send to topic").contains(": authentication missing: "
                + kafka.bootstrapServers() + " demands SASL authentication (it offers SCRAM-SHA-512) but the streams URL "
                + "gives no credentials; write main=kafkas://USER:PASSWORD@HOST:PORT, with &sasl_mechanism=... for SCRAM");
    }

    private CliRunner debugLoggingCli(String streams) {
        return CliRunner.fromClasspath(logs)
                .env("STREAMBACK_STREAMS", streams)
                .env("JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"
                        + " -Dorg.slf4j.simpleLogger.log.io.streamback=debug");
    }
}
