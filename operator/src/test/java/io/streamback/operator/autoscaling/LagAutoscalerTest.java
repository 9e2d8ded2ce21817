package io.streamback.operator.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.operator.autoscaling.AutoscalingPolicy.Linear;
import io.streamback.operator.autoscaling.AutoscalingPolicy.Tier;
import io.streamback.operator.autoscaling.AutoscalingPolicy.Tiers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scaling decision on its own: lag, current pods, partitions and time in, pods out. */
class LagAutoscalerTest {

    static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
    static final Duration DELAY = Duration.ofSeconds(300);
    static final int PARTITIONS = 12;

    static AutoscalingPolicy tiers(Tier... tiers) {
        return new AutoscalingPolicy(new Tiers(List.of(tiers)), 0, DELAY, Duration.ofSeconds(30));
    }

    static AutoscalingPolicy linear(int min, int max, long lagPerReplica, long activationLag) {
        return new AutoscalingPolicy(new Linear(min, max, lagPerReplica), activationLag, DELAY, Duration.ofSeconds(30));
    }

    static ScaleDecision decide(AutoscalingPolicy policy, int current, long lag) {
        return LagAutoscaler.decide(policy, current, new LagReading(lag, PARTITIONS), Optional.empty(), T0);
    }

    @Test
    void tiersGiveThePodsOfTheHighestTierTheLagReaches() {
        AutoscalingPolicy policy = tiers(new Tier(0, 1), new Tier(1000, 3), new Tier(10_000, 6));
        assertThat(decide(policy, 1, 0).replicas()).isEqualTo(1);
        assertThat(decide(policy, 1, 999).replicas()).isEqualTo(1);
        assertThat(decide(policy, 1, 1000).replicas()).isEqualTo(3);
        assertThat(decide(policy, 3, 9_999).replicas()).isEqualTo(3);
        ScaleDecision top = decide(policy, 1, 250_000);
        assertThat(top.replicas()).as("up at once, skipping a tier").isEqualTo(6);
        assertThat(top.explanation()).isEqualTo("lag 250000 calls for 6 pods (tier from lag 10000)");
        assertThat(top.scaleDownPendingSince()).isEmpty();
        assertThat(top.partitionCapped()).isFalse();
    }

    @Test
    void linearIsOnePodPerLagPerReplicaWithinTheBounds() {
        AutoscalingPolicy policy = linear(2, 8, 100, 0);
        assertThat(decide(policy, 2, 0).replicas()).isEqualTo(2);
        assertThat(decide(policy, 2, 300).replicas()).isEqualTo(3);
        assertThat(decide(policy, 2, 301).replicas()).as("ceil").isEqualTo(4);
        assertThat(decide(policy, 2, 1_000_000).replicas()).isEqualTo(8);
        assertThat(decide(policy, 2, 301).explanation())
                .isEqualTo("lag 301 calls for 4 pods (one per 100, between 2 and 8)");
    }

    @Test
    void scalingDownWaitsUntilTheLagHasCalledForFewerPodsForTheDelay() {
        AutoscalingPolicy policy = tiers(new Tier(0, 1), new Tier(1000, 4));
        LagReading drained = new LagReading(0, PARTITIONS);

        ScaleDecision first = LagAutoscaler.decide(policy, 4, drained, Optional.empty(), T0);
        assertThat(first.replicas()).isEqualTo(4);
        assertThat(first.wanted()).isEqualTo(1);
        assertThat(first.scaleDownPendingSince()).contains(T0);
        assertThat(first.explanation()).isEqualTo("lag 0 calls for 1 pod (tier from lag 0); "
                + "keeping 4 pods for 300 s more (scaleDownDelaySeconds 300)");

        ScaleDecision later = LagAutoscaler.decide(policy, 4, drained, Optional.of(T0), T0.plusSeconds(299));
        assertThat(later.replicas()).isEqualTo(4);
        assertThat(later.scaleDownPendingSince()).contains(T0);
        assertThat(later.explanation()).endsWith("keeping 4 pods for 1 s more (scaleDownDelaySeconds 300)");

        ScaleDecision done = LagAutoscaler.decide(policy, 4, drained, Optional.of(T0), T0.plusSeconds(300));
        assertThat(done.replicas()).isEqualTo(1);
        assertThat(done.scaleDownPendingSince()).isEmpty();
    }

    @Test
    void lagComingBackEndsTheWait() {
        AutoscalingPolicy policy = tiers(new Tier(0, 1), new Tier(1000, 4));
        ScaleDecision busyAgain = LagAutoscaler.decide(policy, 4, new LagReading(5000, PARTITIONS), Optional.of(T0),
                T0.plusSeconds(200));
        assertThat(busyAgain.replicas()).isEqualTo(4);
        assertThat(busyAgain.scaleDownPendingSince()).as("the next lull waits the full delay again").isEmpty();
    }

    @Test
    void noDelayScalesDownAtOnce() {
        AutoscalingPolicy policy = new AutoscalingPolicy(new Linear(1, 5, 10), 0, Duration.ZERO, Duration.ofSeconds(1));
        assertThat(decide(policy, 5, 0).replicas()).isEqualTo(1);
    }

    @Test
    void fromZeroOnlyAboveTheActivationLag() {
        AutoscalingPolicy policy = linear(0, 4, 50, 20);
        ScaleDecision idle = decide(policy, 0, 20);
        assertThat(idle.replicas()).as("20 is not above 20").isZero();
        assertThat(idle.explanation()).isEqualTo("lag 20 is not above activationLag 20: no pods");
        assertThat(decide(policy, 0, 21).replicas()).isEqualTo(1);
        assertThat(decide(policy, 0, 151).replicas()).isEqualTo(4);
        assertThat(decide(policy, 0, 0).replicas()).isZero();
    }

    @Test
    void aRunningListenerKeepsOnePodUntilTheLagIsConsumed() {
        AutoscalingPolicy linear = new AutoscalingPolicy(new Linear(0, 4, 50), 100, Duration.ZERO,
                Duration.ofSeconds(1));
        assertThat(LagAutoscaler.decide(linear, 2, new LagReading(30, PARTITIONS), Optional.empty(), T0).replicas())
                .as("below activationLag, but not consumed yet").isEqualTo(1);
        assertThat(LagAutoscaler.decide(linear, 1, new LagReading(0, PARTITIONS), Optional.empty(), T0).replicas())
                .isZero();

        AutoscalingPolicy zeroTier = new AutoscalingPolicy(new Tiers(List.of(new Tier(0, 0), new Tier(500, 2))), 0,
                Duration.ZERO, Duration.ofSeconds(1));
        ScaleDecision small = LagAutoscaler.decide(zeroTier, 0, new LagReading(10, PARTITIONS), Optional.empty(), T0);
        assertThat(small.replicas()).isEqualTo(1);
        assertThat(small.explanation()).isEqualTo("lag 10: 1 pod until it is consumed");
        assertThat(LagAutoscaler.decide(zeroTier, 1, new LagReading(0, PARTITIONS), Optional.empty(), T0).replicas())
                .isZero();
    }

    @Test
    void neverMorePodsThanPartitions() {
        AutoscalingPolicy policy = linear(1, 50, 10, 0);
        ScaleDecision capped = LagAutoscaler.decide(policy, 1, new LagReading(1000, 4), Optional.empty(), T0);
        assertThat(capped.replicas()).isEqualTo(4);
        assertThat(capped.wanted()).isEqualTo(50);
        assertThat(capped.partitionCapped()).isTrue();
        assertThat(capped.explanation()).endsWith(", capped at 4 by the partition count");

        ScaleDecision minimumCapped = LagAutoscaler.decide(linear(6, 10, 10, 0), 6, new LagReading(0, 4),
                Optional.empty(), T0);
        assertThat(minimumCapped.replicas()).as("even minReplicas").isEqualTo(4);
        assertThat(minimumCapped.partitionCapped()).isTrue();
    }

    @Test
    void aLoweredMaximumAppliesWithoutWaiting() {
        AutoscalingPolicy policy = tiers(new Tier(0, 1), new Tier(100, 3));
        ScaleDecision decision = LagAutoscaler.decide(policy, 6, new LagReading(0, PARTITIONS), Optional.empty(), T0);
        assertThat(decision.replicas()).as("3 at once, then 1 after the delay").isEqualTo(3);
        assertThat(decision.scaleDownPendingSince()).contains(T0);
    }

    @Test
    void podsBeyondThePartitionCountGoWithoutWaiting() {
        AutoscalingPolicy policy = linear(1, 50, 10, 0);
        ScaleDecision decision = LagAutoscaler.decide(policy, 8, new LagReading(15, 4), Optional.empty(), T0);
        assertThat(decision.replicas()).as("4 at once, then 2 after the delay").isEqualTo(4);
        assertThat(decision.wanted()).isEqualTo(2);
        assertThat(decision.scaleDownPendingSince()).contains(T0);
        assertThat(decision.partitionCapped()).isFalse();

        ScaleDecision atCap = LagAutoscaler.decide(policy, 8, new LagReading(400, 4), Optional.empty(), T0);
        assertThat(atCap.replicas()).isEqualTo(4);
        assertThat(atCap.scaleDownPendingSince()).isEmpty();
    }
}
