package io.streamback.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.bench.Latencies;
import io.streamback.bench.Side;
import io.streamback.bench.report.Figure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void aSlowRoundDoesNotMoveTheMedianRate() {
        assertThat(Scenario.median(List.of(150_000.0, 54_000.0, 140_000.0))).isEqualTo(140_000.0);
        assertThat(Scenario.median(List.of(150_000.0, 54_000.0, 140_000.0, 146_000.0))).isEqualTo(143_000.0);
        assertThat(Scenario.median(List.of(7_000.0))).isEqualTo(7_000.0);
    }

    @Test
    void aPercentileIsEachSidesMedianOverItsRounds() {
        Figure p50 = Scenario.medianPercentile("p50", 0.50, Map.of(
                Side.STREAMBACK, List.of(round(1, 2, 3), round(4, 5, 6), round(40, 50, 60)),
                Side.BASELINE, List.of(round(2, 2, 2), round(8, 8, 8))));

        assertThat(p50.streamback()).isEqualTo(5.0);
        assertThat(p50.baseline()).isEqualTo(5.0);
    }

    private static Latencies round(long... millis) {
        Latencies latencies = new Latencies(millis.length);
        for (long ms : millis) {
            latencies.add(ms * 1_000_000);
        }
        return latencies;
    }
}
