package io.streamback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamback.StreamUnavailableException;
import io.streamback.Streamback;
import io.streamback.cli.CliRunner;
import io.streamback.feedback.Reply;
import io.streamback.internal.runtime.ConsumerWorker;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * Fault injection against a real broker and Redis, with {@code streamback run} as a child JVM
 * running {@link FaultApp}: kill -9 and SIGTERM of the worker, a Kafka outage and a Redis outage.
 * Counts are printed as "RELIABILITY ..." lines for docs/reliability.md.
 */
class WorkerFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final List<CliRunner> workers = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (CliRunner worker : workers) {
            worker.killAll();
        }
    }

    private CliRunner.Command startWorker(Testkit testkit, String topic, Map<String, String> extraEnv)
            throws IOException {
        CliRunner worker = CliRunner.fromClasspath(Files.createDirectories(dir.resolve("worker-" + workers.size())))
                .env("STREAMBACK_STREAMS", testkit.streamsUrl())
                .env("STREAMBACK_APP", FaultApp.class.getName())
                .env("STREAMBACK_NAME", topic + "-worker")
                .env("STREAMBACK_HTTP_PORT", "0")
                .env("TEST_TOPIC", topic)
                .env("TEST_REDIS_HOST", testkit.redis().host())
                .env("TEST_REDIS_PORT", Integer.toString(testkit.redis().port()));
        extraEnv.forEach(worker::env);
        workers.add(worker);
        return worker.start("run");
    }

    /** Sends ids [from, to) one-way and waits until Kafka has acknowledged every one. */
    private static void sendIds(Streamback client, String topic, int from, int to) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = from; i < to; i++) {
            sent.add(client.send(topic, Map.of("id", Integer.toString(i))).sent());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    }

    private static void report(String scenario, int sent, List<String> handled) {
        Set<String> distinct = new HashSet<>(handled);
        System.out.printf("RELIABILITY %s: sent=%d handled=%d distinct=%d lost=%d duplicated=%d%n",
                scenario, sent, handled.size(), distinct.size(), sent - distinct.size(), handled.size() - distinct.size());
    }

    private static Set<String> ids(int count) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(Integer.toString(i));
        }
        return ids;
    }

    @Test
    void killMinus9MidRunLosesNoneAndDuplicatesAtMostOneBatch() throws Exception {
        Testkit testkit = Testkit.shared();
        String topic = Testkit.uniqueName("kill9");
        int records = 20_000;
        String key = topic + ":handled";
        try (Streamback client = Streamback.create("client", testkit.streamsUrl());
             JedisPooled redis = new JedisPooled(testkit.redis().host(), testkit.redis().port())) {
            sendIds(client, topic, 0, records);
            Process first = startWorker(testkit, topic, Map.of("TEST_DELAY_MS", "1")).process();
            await().atMost(WAIT).until(() -> redis.llen(key) >= 3_000);

            first.destroyForcibly(); // SIGKILL
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long handledByFirst = redis.llen(key);
            assertThat(handledByFirst).as("killed before the end of the backlog").isLessThan(records);

            startWorker(testkit, topic, Map.of());
            await().atMost(WAIT).until(() -> new HashSet<>(redis.lrange(key, 0, -1)).size() >= records);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> redis.llen(key), n -> n == redis.llen(key));

            List<String> handled = redis.lrange(key, 0, -1);
            report("kill-9 (handled by first worker " + handledByFirst + ")", records, handled);
            assertThat(new HashSet<>(handled)).as("lost none").isEqualTo(ids(records));
            assertThat(handled.size() - records).as("duplicates at most one batch (max.poll.records)").isLessThanOrEqualTo(500);
        }
    }

    @Test
    void killMinus9OfAWorkerWhoseListenerBuffers700RecordsLosesNone() throws Exception {
        Testkit testkit = Testkit.shared();
        String topic = Testkit.uniqueName("kill9buffer");
        int records = 20_000;
        String key = topic + ":handled";
        Map<String, String> buffering = Map.of("TEST_DELAY_MS", "1", "TEST_BUFFER", "700");
        try (Streamback client = Streamback.create("client", testkit.streamsUrl());
             JedisPooled redis = new JedisPooled(testkit.redis().host(), testkit.redis().port())) {
            sendIds(client, topic, 0, records);
            Process first = startWorker(testkit, topic, buffering).process();
            // Handed 4,000: the poll batch ending there is done, while the listener holds the 500 it was handed
            // since its last write, at 3,500. Committing per batch would lose them.
            await().atMost(WAIT).until(() -> Long.parseLong(Objects.requireNonNullElse(redis.get(key + ":consumed"), "0")) >= 4_000);

            first.destroyForcibly(); // SIGKILL: the listener's buffer dies with it
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long recordedByFirst = redis.llen(key);
            assertThat(recordedByFirst).as("killed before the end of the backlog").isLessThan(records);

            Process second = startWorker(testkit, topic, buffering).process();
            // The new worker gets the partition once the group has dropped the killed one (session timeout).
            await().atMost(Duration.ofMinutes(3)).until(() -> new HashSet<>(redis.lrange(key, 0, -1)).size() >= records - 1_400);
            await().during(ConsumerWorker.FLUSH_INTERVAL.plusSeconds(2)).atMost(Duration.ofMinutes(3))
                    .until(() -> redis.llen(key), n -> n == redis.llen(key));
            second.destroy(); // SIGTERM: it flushes what it holds, then stops
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

            List<String> handled = redis.lrange(key, 0, -1);
            report("kill-9 of a buffering listener, 700 per flush (recorded by first worker " + recordedByFirst + ")",
                    records, handled);
            assertThat(new HashSet<>(handled)).as("lost none").isEqualTo(ids(records));
        }
    }

    @Test
    void sigtermMidRunLosesNoneAndDuplicatesNone() throws Exception {
        Testkit testkit = Testkit.shared();
        String topic = Testkit.uniqueName("sigterm");
        int records = 20_000;
        String key = topic + ":handled";
        try (Streamback client = Streamback.create("client", testkit.streamsUrl());
             JedisPooled redis = new JedisPooled(testkit.redis().host(), testkit.redis().port())) {
            sendIds(client, topic, 0, records);
            Process first = startWorker(testkit, topic, Map.of("TEST_DELAY_MS", "1")).process();
            await().atMost(WAIT).until(() -> redis.llen(key) >= 3_000);

            first.destroy(); // SIGTERM
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("stopped within the shutdown timeout").isTrue();
            assertThat(first.exitValue()).isZero();
            long handledByFirst = redis.llen(key);
            assertThat(handledByFirst).as("stopped before the end of the backlog").isLessThan(records);

            startWorker(testkit, topic, Map.of());
            await().atMost(WAIT).until(() -> redis.llen(key) >= records);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> redis.llen(key) == records);

            List<String> handled = redis.lrange(key, 0, -1);
            report("sigterm (handled by first worker " + handledByFirst + ")", records, handled);
            assertThat(new HashSet<>(handled)).as("lost none").isEqualTo(ids(records));
            assertThat(handled).as("duplicated none").hasSize(records);
        }
    }

    @Test
    void brokerDownFor10SecondsThenBackOnSamePortWorkerResumesAndLosesNone() throws Exception {
        int before = 1_000;
        int after = 1_000;
        try (Testkit testkit = Testkit.start();
             Streamback client = Streamback.create("client", testkit.streamsUrl());
             JedisPooled redis = new JedisPooled(testkit.redis().host(), testkit.redis().port())) {
            String topic = Testkit.uniqueName("broker-down");
            String key = topic + ":handled";
            sendIds(client, topic, 0, before);
            Process worker = startWorker(testkit, topic, Map.of("TEST_DELAY_MS", "5")).process();
            await().atMost(WAIT).until(() -> redis.llen(key) >= 200);

            testkit.kafka().stop();
            long handledAtStop = redis.llen(key);
            // The broker stays down for 10 s of real time; the worker must survive it.
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(worker::isAlive);
            testkit.kafka().restart();

            sendIds(client, topic, before, before + after);
            int records = before + after;
            await().atMost(WAIT).until(() -> new HashSet<>(redis.lrange(key, 0, -1)).size() >= records);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> redis.llen(key), n -> n == redis.llen(key));

            List<String> handled = redis.lrange(key, 0, -1);
            report("broker down 10 s (handled when stopped " + handledAtStop + ")", records, handled);
            assertThat(worker.isAlive()).as("the worker resumed on its own").isTrue();
            assertThat(new HashSet<>(handled)).as("lost none").isEqualTo(ids(records));
        }
    }

    @Test
    void redisDownMainStreamGoesOnReadsFailFastAndRepliesComeBack() throws Exception {
        Path handledFile = dir.resolve("handled.txt");
        int before = 200;
        int during = 2_500;
        try (Testkit testkit = Testkit.start();
             Streamback client = Streamback.create("client", testkit.streamsUrl())) {
            String topic = Testkit.uniqueName("redis-down");
            CliRunner.Command worker = startWorker(testkit, topic, Map.of("TEST_SINK", "file", "TEST_FILE", handledFile.toString(), "TEST_DELAY_MS", "5"));
            assertThat(client.send(topic, Map.of("id", "warm-up", "reply", true)).read(WAIT, String.class).map(Reply::value)).contains("done");
            sendIds(client, topic, 0, before);
            await().atMost(WAIT).until(() -> lines(handledFile).size() >= before + 1);

            testkit.redis().stop();
            long outageStart = System.nanoTime();
            // send keeps working: Kafka acknowledges every record
            sendIds(client, topic, before, before + during);

            // read fails with StreamUnavailableException within its timeout
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long readStart = System.nanoTime();
            assertThatThrownBy(() -> client.send(topic, Map.of("id", "read-while-down", "reply", true)).read(Duration.ofSeconds(2)))
                    .isInstanceOf(StreamUnavailableException.class)
                    .satisfies(failure::set);
            long readMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readStart);
            System.out.printf("RELIABILITY redis-down read: failed after %d ms with %s%n", readMillis, failure.get());
            assertThat(readMillis).as("failed within its 2 s timeout").isLessThanOrEqualTo(2_500);

            // the worker goes on consuming the main stream while Redis is down
            await().atMost(WAIT).until(() -> lines(handledFile).size() >= before + during + 2);
            long outageSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStart);
            List<String> warnings = worker.output().lines()
                    .filter(line -> line.contains("Could not push")).toList();
            System.out.printf("RELIABILITY redis-down: outage %d s, %d end-marker warning(s): %s%n", outageSeconds,
                    warnings.size(), warnings);
            assertThat(warnings).as("end-marker failures are logged at most once per 10 s")
                    .hasSizeLessThanOrEqualTo((int) (outageSeconds / 10) + 1);

            testkit.redis().restart();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(client.send(topic, Map.of("id", "after-restart", "reply", true)).read(Duration.ofSeconds(5), String.class).map(Reply::value))
                            .contains("done"));

            List<String> handled = lines(handledFile).stream().filter(id -> id.matches("\\d+")).toList();
            report("redis down (numbered one-way records)", before + during, handled);
            assertThat(new HashSet<>(handled)).as("lost none").isEqualTo(ids(before + during));
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
