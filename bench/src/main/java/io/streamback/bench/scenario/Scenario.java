package io.streamback.bench.scenario;

import io.streamback.bench.BenchContext;
import io.streamback.bench.report.ScenarioResult;
import java.util.List;

/** One benchmark, run against both sides, interleaved. */
public interface Scenario {

    /** Stable name, used by {@code --scenarios} and in the JSON. */
    String id();

    /**
     * Runs the scenario's rounds. Round {@code r} runs both sides in the order
     * {@code Side.inTurn(turn + r)}, so the sides alternate going first.
     */
    ScenarioResult run(BenchContext context, int turn) throws Exception;

    /**
     * The median of a side's per-round rates: on 2 cores one round now and then runs at a third of
     * the others' rate (the broker, Redis and both sides share them), and a mean would follow it.
     */
    static double median(List<Double> rates) {
        double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Every scenario, in the order the harness runs them. */
    static List<Scenario> all() {
        return List.of(new RpcSequentialScenario(), new RpcConcurrentScenario(), new OneWayScenario(),
                new StreamingScenario(), new MemoryScenario());
    }
}
