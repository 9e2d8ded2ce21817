package io.streamback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import io.streamback.testkit.RedisCluster;
import io.streamback.testkit.RedisSentinels;
import io.streamback.testkit.RedisServer;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The high-availability page's testkit example: an RPC before and after the feedback stream's Redis fails over. */
@StreambackTest
class RedisFailoverInTestsTest {
    @Test
    void anRpcWorksAfterTheSentinelPrimaryIsKilledAndAfterAClusterNodeRestarts(Testkit testkit) throws Exception {
        // tag::ha[]
        try (RedisSentinels sentinels = RedisSentinels.start()) {
            String streams = "main=kafka://" + testkit.bootstrapServers() + "&feedback=" + sentinels.url();
            assertThat(rpc(streams)).isEqualTo("pong");
            RedisServer primary = sentinels.primary();
            primary.kill();                                           // SIGKILL
            sentinels.awaitFailoverFrom(primary, Duration.ofSeconds(30));
            assertThat(rpc(streams)).isEqualTo("pong");
        }
        try (RedisCluster cluster = RedisCluster.start()) {
            String streams = "main=kafka://" + testkit.bootstrapServers() + "&feedback=" + cluster.url();
            RedisServer node = cluster.nodes().get(0);
            node.kill();
            node.restart();                                           // same port and nodes.conf, no data
            cluster.awaitHealthy(Duration.ofSeconds(30));
            assertThat(rpc(streams)).isEqualTo("pong");
        }
        // end::ha[]
    }

    /** A listener and a caller on these streams; the caller's reply. */
    private static String rpc(String streams) throws Exception {
        String topic = Testkit.uniqueName("ping");
        try (Streamback service = Streamback.create(Testkit.uniqueName("pong-service"), streams);
             Streamback client = Streamback.create(Testkit.uniqueName("client"), streams)) {
            service.listen(topic, (context, message) -> message.respond("pong"));
            service.startAsync().get(60, TimeUnit.SECONDS);
            return client.send(topic, Map.of()).read(Duration.ofSeconds(30), String.class).map(Reply::value).orElseThrow();
        }
    }
}
