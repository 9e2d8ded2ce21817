package io.streamback.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamback.StreamUnavailableException;
import io.streamback.config.StreamsUrl;
import io.streamback.internal.schedule.ScheduleLedger;
import io.streamback.internal.redis.FeedbackStore.Delivery;
import io.streamback.internal.wire.WireFormat;
import io.streamback.testkit.RedisCluster;
import io.streamback.testkit.RedisSentinels;
import io.streamback.testkit.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Every operation of the feedback store on a Sentinel-managed primary and on a three-node cluster:
 * pushes with their TTL, pops in push order, batches of end markers over keys on every node, the
 * schedules' SET NX claims; and the feedback keys keep the Python library's names on a cluster.
 */
class FeedbackStoreTopologiesTest {
    private static final Duration TTL = Duration.ofSeconds(300);
    private static RedisSentinels sentinels;
    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        sentinels = RedisSentinels.start();
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stop() {
        if (sentinels != null) {
            sentinels.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static FeedbackStore store(String feedbackUrl) {
        return new FeedbackStore(StreamsUrl.parse("main=kafka://127.0.0.1:9092&feedback=" + feedbackUrl).feedback().orElseThrow(),
                Duration.ofSeconds(5), 8);
    }

    @Test
    void sentinelPushesPopsExpiresAndClaimsOnThePrimary() {
        try (FeedbackStore store = store(sentinels.url())) {
            String key = WireFormat.newFeedbackTopic();
            store.push(key, "first", TTL, Delivery.QUEUED).join();
            store.pushAll(List.of(Map.entry(key, "second")), TTL).join();

            try (Jedis primary = new Jedis(new HostAndPort("127.0.0.1", sentinels.primary().port()))) {
                assertThat(primary.lrange(key, 0, -1)).containsExactly("second", "first");
                assertThat(primary.ttl(key)).isBetween(290L, 300L);
            }
            assertThat(store.pop(key, Duration.ofSeconds(1))).contains("first");
            assertThat(store.pop(key, Duration.ofSeconds(1))).contains("second");
            assertThat(store.pop(key, Duration.ofMillis(50))).isEmpty();
            assertClaims(store);
        }
        assertThatThrownBy(() -> store(sentinels.url().replace("/streamback", "/no-such-master")))
                .isInstanceOf(StreamUnavailableException.class)
                .hasMessageEndingWith("knows no master named 'no-such-master'");
    }

    @Test
    void sentinelWithItsOwnPasswordBesideTheDataServersOne() {
        try (RedisSentinels secured = RedisSentinels.builder().password("data-s3cret").sentinelPassword("sentinel-s3cret").start()) {
            assertThat(secured.url()).startsWith("redis-sentinel://:data-s3cret@:sentinel-s3cret@127.0.0.1:");
            try (FeedbackStore store = store(secured.url())) {
                String key = WireFormat.newFeedbackTopic();
                store.push(key, "reply", TTL, Delivery.QUEUED).join();
                assertThat(store.pop(key, Duration.ofSeconds(1))).contains("reply");
                assertThat(store.endpoint()).hasToString(secured.url()
                        .replace("data-s3cret", "****").replace("sentinel-s3cret", "****"));
            }
            String wrongSentinelPassword = secured.url().replace("sentinel-s3cret", "wrong-s3cret");
            String noSentinelPassword = secured.url().replace("@:sentinel-s3cret@", "@");
            String wrongDataPassword = secured.url().replace("data-s3cret", "wrong-s3cret");
            Map<String, String> refusals = Map.of(
                    wrongSentinelPassword, "answered: WRONGPASS",
                    noSentinelPassword, "answered: NOAUTH",
                    wrongDataPassword, "refused the credentials of the default user: WRONGPASS");
            refusals.forEach((url, refusal) -> assertThatThrownBy(() -> {
                try (FeedbackStore store = store(url)) {
                    store.ping();
                }
            }).as(url.replaceAll("s3cret", "****"))
                    .isInstanceOf(StreamUnavailableException.class)
                    .hasMessageContaining(refusal)
                    .satisfies(e -> assertThat(e.toString() + e.getCause()).doesNotContain("s3cret")));
        }
    }

    @Test
    void clusterSpreadsLanesOverItsNodesEachLaneInOneSlotWithThePythonKeyNames() {
        try (FeedbackStore store = store(cluster.url())) {
            List<String> keys = IntStream.range(0, 60).mapToObj(i -> WireFormat.newFeedbackTopic()).toList();
            store.pushAll(keys.stream().map(key -> Map.entry(key, "end of " + key)).toList(), TTL);
            keys.forEach(key -> store.push(key, "reply to " + key, TTL, Delivery.QUEUED));
            store.push(keys.get(0), "last", TTL, Delivery.QUEUED).join(); // pushed in order: once it is in, all before it are

            Set<Integer> nodesUsed = new HashSet<>();
            for (String key : keys) {
                RedisServer node = cluster.nodeFor(key);
                nodesUsed.add(node.port());
                try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", node.port()))) {
                    assertThat(jedis.lrange(key, 0, -1)).as(key).endsWith("reply to " + key, "end of " + key);
                    assertThat(jedis.ttl(key)).isBetween(290L, 300L);
                }
                assertThat(store.pop(key, Duration.ofSeconds(1))).contains("end of " + key);
                assertThat(store.pop(key, Duration.ofSeconds(1))).contains("reply to " + key);
            }
            assertThat(store.pop(keys.get(0), Duration.ofSeconds(1))).contains("last");
            assertThat(keys).allMatch(key -> key.matches("streamback_feedback_[0-9a-f-]{36}"));
            assertThat(nodesUsed).as("lanes on every node").hasSize(3);
            assertClaims(store);
        }
    }

    @Test
    void endMarkersForAClusterNodeThatIsDownWaitAndArriveOnceItIsBack() {
        try (FeedbackStore store = store(cluster.url())) {
            RedisServer node = cluster.nodes().get(2);
            List<String> keys = IntStream.range(0, 30).mapToObj(i -> WireFormat.newFeedbackTopic()).toList();
            List<String> onNode = keys.stream().filter(key -> cluster.nodeFor(key) == node).toList();
            assertThat(onNode).isNotEmpty().hasSizeLessThan(keys.size());
            node.kill();
            try {
                assertThat(store.pushAll(keys.stream().map(key -> Map.entry(key, "end")).toList(), TTL))
                        .failsWithin(Duration.ofSeconds(30))
                        .withThrowableOfType(ExecutionException.class)
                        .havingCause()
                        .isInstanceOf(StreamUnavailableException.class)
                        .withMessageContaining(onNode.size() + " of " + keys.size() + " entries were not pushed")
                        .withMessageContaining("127.0.0.1:" + node.port());
                assertThat(store.waitingEntries()).isEqualTo(onNode.size());
                keys.stream().filter(key -> !onNode.contains(key))
                        .forEach(key -> assertThat(store.pop(key, Duration.ofSeconds(1))).contains("end"));
            } finally {
                node.restart();
                cluster.awaitHealthy(Duration.ofSeconds(30));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store.waitingEntries() == 0);
            onNode.forEach(key -> assertThat(store.pop(key, Duration.ofSeconds(1))).as(key).contains("end"));
        }
    }

    private static void assertClaims(FeedbackStore store) {
        ScheduleLedger one = new ScheduleLedger(store, "app-" + System.nanoTime());
        Instant occurrence = Instant.ofEpochSecond(1_700_000_000L);
        String claim = ScheduleLedger.claimKey(one.group(), "nightly", occurrence);
        assertThat(store.setIfAbsent(claim, "a", Duration.ofSeconds(60))).isTrue();
        assertThat(store.setIfAbsent(claim, "b", Duration.ofSeconds(60))).isFalse();
        assertThat(store.get(claim)).contains("a");
        String last = ScheduleLedger.lastHandledKey(one.group(), "nightly");
        store.set(last, "1700000000");
        assertThat(store.get(last)).contains("1700000000");
    }
}
