package io.streamback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamback.StreamUnavailableException;
import io.streamback.Streamback;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.FeedbackTimeoutException;
import io.streamback.testkit.RedisCluster;
import io.streamback.testkit.RedisSentinels;
import io.streamback.testkit.RedisServer;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The feedback stream's Redis fails under a run of sequential RPCs and one-way records, with the
 * worker (a second Streamback in this JVM) and the producer on Jedis' Sentinel or Cluster client:
 * a Sentinel primary killed with SIGKILL, a cluster node killed and restarted. Prints a
 * {@code RELIABILITY} line with the figures of docs/reliability.md.
 */
class FeedbackFailoverTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    /** What an RPC may take beyond its read timeout before it counts as hanging: the send and the pop's slack. */
    private static final Duration HANG_MARGIN = Duration.ofSeconds(3);
    private static final int WARM_UP_RPCS = 30;
    private static final int RPCS_AFTER_RECOVERY = 30;

    @Test
    void sentinelPrimaryKilledMinus9FailsInFlightReadsFastThenRpcsWorkOnTheNewPrimaryAndNoRecordIsLost() throws Exception {
        try (RedisSentinels sentinels = RedisSentinels.start()) {
            Figures figures = run("sentinel", sentinels.url(), progress -> {
                RedisServer primary = sentinels.primary();
                primary.kill();
                progress.killed();
                sentinels.awaitFailoverFrom(primary, Duration.ofSeconds(30));
            });
            figures.assertRecovered();
        }
    }

    @Test
    void clusterNodeKilledAndRestartedFailsOnlyItsSlotsRpcsThenAllWorkAndNoRecordIsLost() throws Exception {
        try (RedisCluster cluster = RedisCluster.start()) {
            AtomicInteger failuresAtKill = new AtomicInteger();
            Figures figures = run("cluster", cluster.url(), progress -> {
                RedisServer node = cluster.nodes().get(1);
                failuresAtKill.set(progress.failures());
                node.kill();
                progress.killed();
                // Down long enough for RPCs whose feedback key lives on it to fail, then back.
                await().atMost(Duration.ofSeconds(20)).until(() -> progress.failures() >= failuresAtKill.get() + 3);
                node.restart();
                cluster.awaitHealthy(Duration.ofSeconds(30));
            });
            figures.assertRecovered();
        }
    }

    /** The fault, given the run's progress so far. */
    private interface Fault {
        void inject(Progress progress) throws Exception;
    }

    /** Lets a fault see the RPCs failed so far, and say when the server died. */
    private interface Progress {
        int failures();

        void killed();
    }

    private record Rpc(long startNanos, long endNanos, Optional<String> failure) {
        Duration took() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    private record Figures(List<Rpc> rpcs, int oneWayLost, int endsAfterFaultMissing, boolean hung) {
        void assertRecovered() {
            List<Rpc> failed = rpcs.stream().filter(rpc -> rpc.failure().isPresent()).toList();
            assertThat(hung).as("no RPC hung").isFalse();
            assertThat(failed).as("every failed RPC failed within its timeout")
                    .allSatisfy(rpc -> assertThat(rpc.took()).isLessThan(READ_TIMEOUT.plus(HANG_MARGIN)));
            assertThat(failed).as("failures are StreamUnavailableException or FeedbackTimeoutException")
                    .allSatisfy(rpc -> assertThat(rpc.failure().orElseThrow())
                            .matches("(StreamUnavailableException|FeedbackTimeoutException).*"));
            assertThat(rpcs.subList(rpcs.size() - RPCS_AFTER_RECOVERY, rpcs.size())).as("RPCs after recovery")
                    .allSatisfy(rpc -> assertThat(rpc.failure()).isEmpty());
            assertThat(oneWayLost).as("one-way records lost").isZero();
            assertThat(endsAfterFaultMissing).as("end markers of records handled after the fault, not delivered")
                    .isZero();
        }
    }

    private Figures run(String setup, String feedbackUrl, Fault fault) throws Exception {
        Testkit testkit = Testkit.shared();
        String rpcTopic = Testkit.uniqueName("failover-rpc");
        String oneWayTopic = Testkit.uniqueName("failover-oneway");
        testkit.kafka().createTopic(rpcTopic, 1);
        testkit.kafka().createTopic(oneWayTopic, 1);
        String streams = "main=kafka://" + testkit.bootstrapServers() + "&feedback=" + feedbackUrl;

        Map<String, Long> handledAt = new ConcurrentHashMap<>();
        List<Rpc> rpcs = new CopyOnWriteArrayList<>();
        Map<String, String> oneWayLanes = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean hung = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(3);
        try (Streamback worker = Streamback.builder(Testkit.uniqueName("failover-worker")).streams(streams).build();
             Streamback client = Streamback.builder("failover-client").streams(streams).build()) {
            worker.listen(rpcTopic, (context, message) -> message.respond(message.value()));
            worker.listen(oneWayTopic, (context, message) -> handledAt.put(message.value().get("id").asText(), System.nanoTime()));
            worker.startAsync().get(60, TimeUnit.SECONDS);

            Future<?> rpcLoop = load.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    int n = i;
                    long start = System.nanoTime();
                    Future<Optional<String>> call = load.submit(() -> {
                        try {
                            Optional<String> reply = client.send(rpcTopic, Map.of("n", n)).read(READ_TIMEOUT)
                                    .map(answer -> answer.value().get("n").asText());
                            return reply.equals(Optional.of(Integer.toString(n))) ? Optional.<String>empty()
                                    : Optional.of("wrong reply " + reply);
                        } catch (StreamUnavailableException | FeedbackTimeoutException e) {
                            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    });
                    try {
                        rpcs.add(new Rpc(start, System.nanoTime(),
                                call.get(READ_TIMEOUT.plus(HANG_MARGIN).toMillis(), TimeUnit.MILLISECONDS)));
                    } catch (TimeoutException e) {
                        hung.set(true);
                        call.cancel(true);
                        rpcs.add(new Rpc(start, System.nanoTime(), Optional.of("hung")));
                    }
                }
                return null;
            });
            Future<?> oneWayLoop = load.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    FeedbackLane lane = client.send(oneWayTopic, Map.of("id", Integer.toString(i)));
                    lane.sent().get(30, TimeUnit.SECONDS);
                    oneWayLanes.put(Integer.toString(i), lane.feedbackTopic());
                    Thread.sleep(10); // pacing of the load (about 100 records a second), not synchronisation
                }
                return null;
            });
            AtomicLong killedNanos = new AtomicLong();
            Progress progress = new Progress() {
                @Override
                public int failures() {
                    return (int) rpcs.stream().filter(rpc -> rpc.failure().isPresent()).count();
                }

                @Override
                public void killed() {
                    killedNanos.set(System.nanoTime());
                }
            };
            await().atMost(Duration.ofSeconds(60)).until(() -> rpcs.size() >= WARM_UP_RPCS);
            fault.inject(progress);
            long faultNanos = killedNanos.get();
            int afterFaultHandled = rpcs.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                // A copy: a CopyOnWriteArrayList's subList fails once the loop adds to the list.
                List<Rpc> soFar = List.copyOf(rpcs);
                return soFar.size() >= afterFaultHandled + RPCS_AFTER_RECOVERY
                        && soFar.subList(soFar.size() - RPCS_AFTER_RECOVERY, soFar.size()).stream()
                                .allMatch(rpc -> rpc.failure().isEmpty());
            });
            stop.set(true);
            rpcLoop.get(30, TimeUnit.SECONDS);
            oneWayLoop.get(30, TimeUnit.SECONDS);

            Set<String> sent = Set.copyOf(oneWayLanes.keySet());
            await().atMost(Duration.ofSeconds(60)).until(() -> handledAt.keySet().containsAll(sent));
            int lost = (int) sent.stream().filter(id -> !handledAt.containsKey(id)).count();

            // Every one-way record's end marker: those the worker pushed while Redis failed were kept and pushed later.
            int endsAfterFault = 0;
            int endsAfterFaultMissing = 0;
            int endsBeforeFaultMissing = 0;
            for (String id : sent) {
                boolean afterFault = handledAt.get(id) >= faultNanos;
                boolean ended = ended(client, oneWayLanes.get(id));
                endsAfterFault += afterFault ? 1 : 0;
                endsAfterFaultMissing += afterFault && !ended ? 1 : 0;
                endsBeforeFaultMissing += !afterFault && !ended ? 1 : 0;
            }

            long recoveredNanos = rpcs.stream().filter(rpc -> rpc.startNanos() > faultNanos)
                    .filter(rpc -> rpc.failure().isEmpty()).mapToLong(Rpc::endNanos).min().orElseThrow();
            List<Rpc> failed = rpcs.stream().filter(rpc -> rpc.failure().isPresent()).toList();
            System.out.printf("RELIABILITY feedback failover (%s): rpcs=%d failed=%d failedMaxMillis=%d "
                            + "firstSuccessAfterFaultMillis=%d lastFailureAfterFaultMillis=%d hung=%s "
                            + "oneWaySent=%d oneWayLost=%d endsAfterFault=%d endsAfterFaultMissing=%d "
                            + "endsBeforeFaultMissing=%d failures=%s%n",
                    setup, rpcs.size(), failed.size(),
                    failed.stream().mapToLong(rpc -> rpc.took().toMillis()).max().orElse(0),
                    (recoveredNanos - faultNanos) / 1_000_000,
                    failed.stream().mapToLong(rpc -> (rpc.endNanos() - faultNanos) / 1_000_000).max().orElse(0),
                    hung.get(), sent.size(), lost, endsAfterFault, endsAfterFaultMissing, endsBeforeFaultMissing,
                    failed.stream().map(rpc -> rpc.failure().orElseThrow().replaceAll("\\d+", "N"))
                            .map(text -> text.length() > 120 ? text.substring(0, 120) : text).distinct().toList());
            return new Figures(List.copyOf(rpcs), lost, endsAfterFaultMissing, hung.get());
        } finally {
            stop.set(true);
            load.shutdownNow();
        }
    }

    /**
     * Whether the lane's end marker is there: a one-way record's lane holds nothing else. Asked twice
     * when the first read fails: in about one run in three, a BRPOP to the restarted cluster node got no
     * answer within the socket timeout although the cluster said it was healthy, and the next read,
     * on a new connection, was answered.
     */
    private static boolean ended(Streamback client, String feedbackTopic) {
        try {
            return client.continueStream(feedbackTopic).read(Duration.ofMillis(200)).isEmpty();
        } catch (FeedbackTimeoutException e) {
            return false;
        } catch (StreamUnavailableException e) {
            System.out.println("RELIABILITY read after recovery failed, asked again: " + e.getMessage());
            try {
                return client.continueStream(feedbackTopic).read(Duration.ofMillis(200)).isEmpty();
            } catch (FeedbackTimeoutException again) {
                return false;
            }
        }
    }
}
