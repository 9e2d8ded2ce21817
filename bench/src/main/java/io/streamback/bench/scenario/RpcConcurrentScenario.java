package io.streamback.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.bench.BenchContext;
import io.streamback.bench.Contender;
import io.streamback.bench.Latencies;
import io.streamback.bench.ListenerKind;
import io.streamback.bench.Side;
import io.streamback.bench.Sizes;
import io.streamback.bench.report.Figure;
import io.streamback.bench.report.ScenarioResult;
import io.streamback.bench.report.TargetCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many callers at once, each making calls back to back, against one listener (one consumer) on a
 * one-partition topic. RPC/s over the measured calls, and their latency percentiles.
 */
final class RpcConcurrentScenario implements Scenario {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String id() {
        return "rpc-concurrent";
    }

    @Override
    public ScenarioResult run(BenchContext context, int turn) throws Exception {
        Sizes sizes = context.sizes();
        Map<Side, List<Latencies>> samples = new EnumMap<>(Side.class);
        Map<Side, List<Double>> rates = new EnumMap<>(Side.class);
        for (int round = 0; round < sizes.rounds(); round++) {
            for (Side side : Side.inTurn(turn + round)) {
                context.say("%s round %d/%d: %s, %d callers, %d calls", id(), round + 1, sizes.rounds(),
                        side.label(), sizes.callers(), sizes.concurrentCalls());
                String topic = context.freshTopic(id(), 1);
                try (Contender contender = side.start(context, topic, ListenerKind.ECHO)) {
                    // warm-up: every caller's connection and thread, ten calls each
                    runCallers(contender, sizes.callers(), sizes.callers() * 10, new Latencies(sizes.callers() * 10));
                    Latencies latencies = new Latencies(sizes.concurrentCalls());
                    long elapsed = runCallers(contender, sizes.callers(), sizes.concurrentCalls(), latencies);
                    samples.computeIfAbsent(side, s -> new ArrayList<>()).add(latencies);
                    double rate = sizes.concurrentCalls() / (elapsed / 1e9);
                    context.say("  %s: %,.0f RPC/s, p50 %.2f ms, p99 %.2f ms", side.label(), rate,
                            latencies.percentileMillis(0.50), latencies.percentileMillis(0.99));
                    rates.computeIfAbsent(side, s -> new ArrayList<>()).add(rate);
                }
            }
        }
        Figure throughput = new Figure("RPC/s", "RPC/s", true,
                Scenario.median(rates.get(Side.STREAMBACK)), Scenario.median(rates.get(Side.BASELINE)));
        Figure p50 = Scenario.medianPercentile("p50", 0.50, samples);
        Figure p99 = Scenario.medianPercentile("p99", 0.99, samples);
        return new ScenarioResult(id(), sizes.callers() + " concurrent callers",
                String.format("%,d calls per side and round, %d round(s)", sizes.concurrentCalls(), sizes.rounds()),
                throughput, List.of(throughput, p50, p99),
                List.of(TargetCheck.atLeast("RPC/s with " + sizes.callers() + " concurrent callers >= 2,000", throughput, 2_000)));
    }

    /** {@code calls} calls spread over {@code callers} threads started together; returns the nanoseconds they took. */
    private static long runCallers(Contender contender, int callers, int calls, Latencies latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            AtomicInteger next = new AtomicInteger();
            CountDownLatch ready = new CountDownLatch(callers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                done.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (int i; (i = next.getAndIncrement()) < calls; ) {
                        JsonNode value = Payloads.numbered(i);
                        long start = System.nanoTime();
                        var reply = contender.call(value, TIMEOUT);
                        latencies.set(i, System.nanoTime() - start);
                        Payloads.checkEcho(value, reply);
                    }
                    return null;
                }));
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> caller : done) {
                caller.get();
            }
            long elapsed = System.nanoTime() - start;
            latencies.filled(calls);
            return elapsed;
        } finally {
            pool.shutdownNow();
        }
    }
}
