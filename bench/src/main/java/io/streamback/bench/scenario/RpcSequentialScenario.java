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

/** One caller, one call at a time: send, then block on the first reply. Latency percentiles over every call. */
final class RpcSequentialScenario implements Scenario {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String id() {
        return "rpc-sequential";
    }

    @Override
    public ScenarioResult run(BenchContext context, int turn) throws Exception {
        Sizes sizes = context.sizes();
        Map<Side, List<Latencies>> samples = new EnumMap<>(Side.class);
        Map<Side, List<Double>> cpuMicrosPerCall = new EnumMap<>(Side.class);
        for (int round = 0; round < sizes.rounds(); round++) {
            for (Side side : Side.inTurn(turn + round)) {
                context.say("%s round %d/%d: %s, %d warm-up + %d calls", id(), round + 1, sizes.rounds(),
                        side.label(), sizes.rpcWarmup(), sizes.rpcCalls());
                String topic = context.freshTopic(id(), 1);
                try (Contender contender = side.start(context, topic, ListenerKind.ECHO)) {
                    for (int i = 0; i < sizes.rpcWarmup(); i++) {
                        JsonNode value = Payloads.numbered(-i - 1);
                        Payloads.checkEcho(value, contender.call(value, TIMEOUT));
                    }
                    Latencies latencies = new Latencies(sizes.rpcCalls());
                    ProcessCpu cpu = ProcessCpu.start();
                    for (int i = 0; i < sizes.rpcCalls(); i++) {
                        JsonNode value = Payloads.numbered(i);
                        long start = System.nanoTime();
                        var reply = contender.call(value, TIMEOUT);
                        latencies.add(System.nanoTime() - start);
                        Payloads.checkEcho(value, reply);
                    }
                    double cpuPerCall = cpu.elapsedNanos() / 1e3 / sizes.rpcCalls();
                    context.say("  %s: p50 %.2f ms, p99 %.2f ms, CPU per call %.0f us", side.label(),
                            latencies.percentileMillis(0.50), latencies.percentileMillis(0.99), cpuPerCall);
                    cpuMicrosPerCall.computeIfAbsent(side, s -> new ArrayList<>()).add(cpuPerCall);
                    samples.computeIfAbsent(side, s -> new ArrayList<>()).add(latencies);
                }
            }
        }
        Figure p50 = Scenario.medianPercentile("p50", 0.50, samples);
        Figure p99 = Scenario.medianPercentile("p99", 0.99, samples);
        Figure max = new Figure("max", "ms", false, Latencies.merge(samples.get(Side.STREAMBACK)).maxMillis(),
                Latencies.merge(samples.get(Side.BASELINE)).maxMillis());
        // Both ends of each call run in this JVM: its CPU time per call (without the JIT compiler's)
        // is the client's and the listener's together (the servers run in their own process), and
        // unlike the latencies it hardly depends on what else the machine is doing.
        Figure cpu = new Figure("CPU per call", "us", false, Scenario.median(cpuMicrosPerCall.get(Side.STREAMBACK)),
                Scenario.median(cpuMicrosPerCall.get(Side.BASELINE)));
        return new ScenarioResult(id(), "Sequential RPC round trip",
                String.format("%,d calls per side and round, %d round(s)", sizes.rpcCalls(), sizes.rounds()),
                p50, List.of(p50, p99, max, cpu),
                List.of(TargetCheck.ratioAtMost("sequential RPC p50 <= 1.3x baseline", p50, 1.3),
                        TargetCheck.ratioAtMost("sequential RPC p99 <= 1.5x baseline", p99, 1.5)));
    }
}
