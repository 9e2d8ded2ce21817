package io.streamback.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.operator.crd.StreambackListenerStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffAndConditionsTest {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void backoffDoublesFromTenSecondsToFiveMinutes() {
        assertThat(Backoff.after(T0, T0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(Backoff.after(T0, T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(Backoff.after(T0, T0.plusSeconds(20))).isEqualTo(Duration.ofSeconds(20));
        assertThat(Backoff.after(T0, T0.plusSeconds(40))).isEqualTo(Duration.ofSeconds(40));
        assertThat(Backoff.after(T0, T0.plusSeconds(3600))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void lastTransitionTimeMovesOnlyWhenTheStatusDoes() {
        StreambackListenerStatus status = new StreambackListenerStatus();
        Conditions.set(status, Conditions.DEGRADED, false, "AsExpected", "", 1L, T0);
        Conditions.set(status, Conditions.READY, false, "RollingOut", "0/1", 1L, T0);
        Conditions.set(status, Conditions.READY, false, "PodsNotReady", "0/1", 2L, T0.plusSeconds(5));
        assertThat(Conditions.get(status, Conditions.READY).orElseThrow().getLastTransitionTime())
                .isEqualTo("2030-01-01T00:00:00Z");
        assertThat(Conditions.get(status, Conditions.READY).orElseThrow().getObservedGeneration()).isEqualTo(2L);
        Conditions.set(status, Conditions.READY, true, "PodsReady", "1/1", 2L, T0.plusSeconds(9));
        assertThat(Conditions.get(status, Conditions.READY).orElseThrow().getLastTransitionTime())
                .isEqualTo("2030-01-01T00:00:09Z");
        assertThat(status.getConditions()).extracting(c -> c.getType()).containsExactly("Ready", "Degraded");
    }
}
