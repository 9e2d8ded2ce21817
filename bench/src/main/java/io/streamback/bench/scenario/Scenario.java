package io.streamback.bench.scenario;

import io.streamback.bench.BenchContext;
import io.streamback.bench.Latencies;
import io.streamback.bench.Side;
import io.streamback.bench.report.Figure;
import io.streamback.bench.report.ScenarioResult;
import java.util.List;
import java.util.Map;

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
     * The median of a side's per-round figures: on 2 cores shared by the broker, Redis and both sides,
     * a round now and then runs at a third of the others' rate or with a p99 several times theirs, and
     * a mean, or a percentile of all rounds' calls together, follows that one round.
     */
    static double median(List<Double> figures) {
        double[] sorted = figures.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The {@code q} quantile in milliseconds: for each side, the median over its rounds of each round's. */
    static Figure medianPercentile(String metric, double q, Map<Side, List<Latencies>> rounds) {
        return new Figure(metric, "ms", false, medianPercentileMillis(rounds.get(Side.STREAMBACK), q),
                medianPercentileMillis(rounds.get(Side.BASELINE), q));
    }

    private static double medianPercentileMillis(List<Latencies> rounds, double q) {
        return median(rounds.stream().map(round -> round.percentileMillis(q)).toList());
    }

    /** Every scenario, in the order the harness runs them. */
    static List<Scenario> all() {
        return List.of(new RpcSequentialScenario(), new RpcConcurrentScenario(), new OneWayScenario(),
                new StreamingScenario(), new MemoryScenario());
    }
}
