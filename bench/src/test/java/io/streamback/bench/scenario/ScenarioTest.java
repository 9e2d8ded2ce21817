package io.streamback.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void aSlowRoundDoesNotMoveTheMedianRate() {
        assertThat(Scenario.median(List.of(150_000.0, 54_000.0, 140_000.0))).isEqualTo(140_000.0);
        assertThat(Scenario.median(List.of(150_000.0, 54_000.0, 140_000.0, 146_000.0))).isEqualTo(143_000.0);
        assertThat(Scenario.median(List.of(7_000.0))).isEqualTo(7_000.0);
    }
}
