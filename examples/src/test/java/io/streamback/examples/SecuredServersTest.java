package io.streamback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import io.streamback.testkit.KafkaBroker;
import io.streamback.testkit.RedisServer;
import io.streamback.testkit.TestCertificates;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The testing page's secured servers: SASL and TLS on Kafka, an ACL user and TLS on Redis, and an RPC over them. */
class SecuredServersTest {
    @Test
    void anRpcOverSaslAndTls() throws Exception {
        // tag::secured[]
        TestCertificates certificates = TestCertificates.shared();
        try (KafkaBroker kafka = KafkaBroker.builder().sasl("SCRAM-SHA-512").user("alice", "secret").tls(certificates).start();
             RedisServer redis = RedisServer.builder().user("app", "secret").tls(certificates).start()) {
            // main=kafkas://alice:secret@127.0.0.1:PORT&sasl_mechanism=SCRAM-SHA-512&ca_file=/tmp/.../ca.pem&feedback=rediss://app:secret@127.0.0.1:PORT
            String streams = kafka.streamsUrl() + "&feedback=" + redis.url();
            // end::secured[]
            try (Streamback service = Streamback.create("secured-service", streams);
                 Streamback client = Streamback.create("secured-client", streams)) {
                service.listen("secured_hello", (context, message) -> message.respond("hello over TLS"));
                service.startAsync().get(60, TimeUnit.SECONDS);
                assertThat(client.send("secured_hello", Map.of()).read(Duration.ofSeconds(30), String.class))
                        .map(Reply::value).contains("hello over TLS");
            }
        }
    }
}
