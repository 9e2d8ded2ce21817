package io.streamback.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamback.StreamUnavailableException;
import io.streamback.config.StreamsUrl;
import io.streamback.internal.redis.FeedbackStore.Delivery;
import io.streamback.internal.wire.WireFormat;
import io.streamback.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The queued pushes of one Redis server: in order, without waiting for Redis, kept and pushed again
 * while it is down, and all written before {@code close()} returns.
 */
class FeedbackStoreTest {
    private static final Duration TTL = Duration.ofSeconds(300);
    private RedisServer redis;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    private FeedbackStore store() {
        return new FeedbackStore(StreamsUrl.parse("main=kafka://127.0.0.1:9092&feedback=" + redis.url()).feedback().orElseThrow(),
                Duration.ofSeconds(2), 8);
    }

    private List<String> entriesOf(String key) {
        try (Jedis jedis = new Jedis(new HostAndPort(redis.host(), redis.port()))) {
            List<String> entries = new ArrayList<>(jedis.lrange(key, 0, -1));
            Collections.reverse(entries); // LPUSH puts the newest first
            return entries;
        }
    }

    @Test
    void pushesFromManyThreadsWrittenDirectlyOrQueuedArriveInEachThreadsOrderBeforeTheEndMarkersAfterThem() {
        try (FeedbackStore store = store()) {
            List<String> keys = IntStream.range(0, 8).mapToObj(i -> WireFormat.newFeedbackTopic()).toList();
            List<CompletableFuture<Void>> ends = keys.parallelStream().map(key -> {
                // Not waited for; some written by this thread when the writer thread is idle, the others queued.
                IntStream.range(0, 500).forEach(i -> store.push(key, "reply " + i, TTL,
                        i % 3 == 0 ? Delivery.DIRECT_WHEN_IDLE : Delivery.QUEUED));
                return store.pushAll(List.of(Map.entry(key, "end")), TTL);
            }).toList();
            ends.forEach(CompletableFuture::join);

            List<String> expected = new ArrayList<>(IntStream.range(0, 500).mapToObj(i -> "reply " + i).toList());
            expected.add("end");
            for (String key : keys) {
                assertThat(entriesOf(key)).as(key).containsExactlyElementsOf(expected);
                try (Jedis jedis = new Jedis(new HostAndPort(redis.host(), redis.port()))) {
                    assertThat(jedis.ttl(key)).isBetween(290L, 300L);
                }
            }
        }
    }

    @Test
    void whileRedisIsDownPushesAreKeptInOrderAndArriveOnceItIsBack() {
        try (FeedbackStore store = store()) {
            String key = WireFormat.newFeedbackTopic();
            redis.stop();
            assertThat(store.push(key, "reply", TTL, Delivery.QUEUED)).failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(StreamUnavailableException.class)
                    .withMessageContaining("is unavailable")
                    .withMessageContaining("kept, pushed again once it answers");
            assertThat(store.pushAll(List.of(Map.entry(key, "end")), TTL)).failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(StreamUnavailableException.class)
                    .withMessageContaining("2 entries wait to be pushed again");
            assertThat(store.waitingEntries()).isEqualTo(2);

            redis.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> store.waitingEntries() == 0);
            assertThat(entriesOf(key)).containsExactly("reply", "end");
        }
    }

    @Test
    void popUpToTakesTheEntriesAlreadyThereOldestFirstWaitsOnlyForTheFirstAndPushBackReturnsThemToTheFront() {
        try (FeedbackStore store = store()) {
            String key = WireFormat.newFeedbackTopic();
            List<String> pushed = IntStream.range(0, 10).mapToObj(i -> "reply " + i).toList();
            store.pushAll(pushed.stream().map(entry -> Map.entry(key, entry)).toList(), TTL).join();

            assertThat(store.popUpTo(key, Duration.ofSeconds(1), 4)).containsExactlyElementsOf(pushed.subList(0, 4));
            assertThat(store.popUpTo(key, Duration.ofSeconds(1), 32)).containsExactlyElementsOf(pushed.subList(4, 10));
            assertThat(store.popUpTo(key, Duration.ofMillis(50), 32)).isEmpty();

            store.push(key, "newer", TTL, Delivery.QUEUED).join();
            store.pushBack(key, List.of("given back 1", "given back 2"), TTL);
            assertThat(store.popUpTo(key, Duration.ofSeconds(1), 32)).containsExactly("given back 1", "given back 2", "newer");

            CompletableFuture<List<String>> waiting = CompletableFuture.supplyAsync(() -> store.popUpTo(key, Duration.ofSeconds(10), 32));
            store.push(key, "late", TTL, Delivery.QUEUED).join();
            assertThat(waiting).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(List.of("late"));
        }
    }

    @Test
    void closeWritesEverythingQueuedAndLaterPushesFailAsClosed() {
        String key = WireFormat.newFeedbackTopic();
        FeedbackStore store = store();
        IntStream.range(0, 2_000).forEach(i -> store.push(key, "reply " + i, TTL, Delivery.QUEUED));
        store.close();

        assertThat(entriesOf(key)).hasSize(2_000).startsWith("reply 0").endsWith("reply 1999");
        assertThat(store.push(key, "too late", TTL, Delivery.QUEUED)).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(StreamUnavailableException.class)
                .withMessageEndingWith("is closed");
    }
}
