package io.streamback.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.internal.schedule.ScheduleLedger;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Schedules on real time, the real broker and Redis: when they fire, and that replicas fire each occurrence once. */
@StreambackTest
class ScheduleFiringTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int OCCURRENCES = 4;

    /** A scheduled message as the listener got it. */
    record Receipt(Instant at, JsonNode value) {
    }

    private final Testkit testkit;
    private final List<Streamback> opened = new ArrayList<>();
    private final List<Receipt> received = new CopyOnWriteArrayList<>();
    private JedisPooled redis;
    private String topic;
    private String group;

    ScheduleFiringTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() throws Exception {
        redis = new JedisPooled(testkit.redis().host(), testkit.redis().port());
        topic = Testkit.uniqueName("ticks");
        group = Testkit.uniqueName("scheduler");
        open(Testkit.uniqueName("listener"))
                .listen(topic, (context, message) -> received.add(new Receipt(Instant.now(), message.value())))
                .startAsync().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        opened.forEach(Streamback::close);
        redis.close();
    }

    @Test
    void everyOccurrenceIsSentWithinOneSecondOfItsTime() throws Exception {
        Streamback app = open(group).schedule("every-second", "* * * * * *", topic, Map.of("hello", "there"), "a test tick");
        Instant startedAt = Instant.now();
        app.startAsync().get(60, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.size() >= OCCURRENCES);
        app.close();

        List<Instant> occurrences = claimedOccurrences("every-second");
        await().atMost(WAIT).until(() -> received.size() == occurrences.size());
        assertThat(occurrences.get(0)).as("nothing from before the start")
                .isAfterOrEqualTo(startedAt.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
        assertOneASecondAndEachReceivedWithinOneSecond(occurrences);
        assertThat(received).allSatisfy(receipt -> assertThat(receipt.value().get("hello").asText()).isEqualTo("there"));
        assertThat(app.meterRegistry().get("streamback.schedule.fired").tag("schedule", "every-second").counter().count())
                .isEqualTo(occurrences.size());
    }

    @Test
    void twoReplicasSendEachOccurrenceExactlyOnce() throws Exception {
        Streamback a = open(group).schedule("every-second", "* * * * * *", topic, Map.of("replica", "a"), "");
        Streamback b = open(group).schedule("every-second", "* * * * * *", topic, Map.of("replica", "b"), "");
        CompletableFuture.allOf(a.startAsync(), b.startAsync()).get(60, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> claimedOccurrences("every-second").size() >= OCCURRENCES);
        a.close();
        b.close();

        List<Instant> occurrences = claimedOccurrences("every-second");
        await().atMost(WAIT).until(() -> received.size() >= occurrences.size());
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> received.size() == occurrences.size());
        assertOneASecondAndEachReceivedWithinOneSecond(occurrences);
        assertThat(fired(a) + fired(b)).isEqualTo(occurrences.size());
        assertThat(received.stream().filter(receipt -> receipt.value().get("replica").asText().equals("a")).count())
                .as("the messages from replica a").isEqualTo((long) fired(a));
    }

    private Streamback open(String name) {
        Streamback streamback = Streamback.create(name, testkit.streamsUrl());
        opened.add(streamback);
        return streamback;
    }

    /** The occurrences some replica claimed, from the claim keys in Redis. */
    private List<Instant> claimedOccurrences(String schedule) {
        String last = ScheduleLedger.lastHandledKey(group, schedule);
        String prefix = last.substring(0, last.length() - "last".length());
        return redis.keys(prefix + "*").stream()
                .filter(key -> !key.equals(last))
                .map(key -> Instant.ofEpochSecond(Long.parseLong(key.substring(prefix.length()))))
                .sorted()
                .toList();
    }

    /** Occurrences one a second with no gap, and the n-th message received less than a second after the n-th occurrence. */
    private void assertOneASecondAndEachReceivedWithinOneSecond(List<Instant> occurrences) {
        assertThat(occurrences).as("one occurrence a second")
                .containsExactlyElementsOf(IntStream.range(0, occurrences.size())
                        .mapToObj(i -> occurrences.get(0).plusSeconds(i)).toList());
        List<Instant> receipts = received.stream().map(Receipt::at).sorted().toList();
        assertThat(receipts).hasSameSizeAs(occurrences);
        for (int i = 0; i < occurrences.size(); i++) {
            assertThat(Duration.between(occurrences.get(i), receipts.get(i)))
                    .as("received after the occurrence at %s", occurrences.get(i))
                    .isGreaterThanOrEqualTo(Duration.ZERO)
                    .isLessThan(Duration.ofSeconds(1));
        }
    }

    private static int fired(Streamback streamback) {
        return (int) streamback.meterRegistry().get("streamback.schedule.fired").counter().count();
    }
}
