package io.streamback.operator.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.operator.common.SpecProblem;
import io.streamback.operator.crd.Autoscaling;
import io.streamback.operator.crd.AutoscalingTier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The operator's own checks of spec.autoscaling, for API servers that skip the CRD's CEL rules. */
class AutoscalingValidatorTest {

    static List<String> problems(Consumer<Autoscaling> setup) {
        Autoscaling autoscaling = new Autoscaling();
        setup.accept(autoscaling);
        List<SpecProblem> problems = new ArrayList<>();
        AutoscalingValidator.validate(problems, autoscaling);
        return problems.stream().map(SpecProblem::describe).toList();
    }

    static Consumer<Autoscaling> linear(int min, int max, long lagPerReplica) {
        return a -> {
            a.setMinReplicas(min);
            a.setMaxReplicas(max);
            a.setLagPerReplica(lagPerReplica);
        };
    }

    @Test
    void validSpecsPass() {
        assertThat(problems(linear(0, 10, 100))).isEmpty();
        assertThat(problems(a -> a.setTiers(List.of(new AutoscalingTier(0, 0), new AutoscalingTier(10, 1),
                new AutoscalingTier(500, 1), new AutoscalingTier(5000, 8))))).isEmpty();
    }

    @Test
    void tiersAndLinearAreExclusiveAndOneIsRequired() {
        assertThat(problems(a -> { })).containsExactly(
                "spec.autoscaling: set either tiers or lagPerReplica (with maxReplicas)");
        assertThat(problems(linear(1, 4, 10).andThen(a -> a.setTiers(List.of(new AutoscalingTier(0, 1))))))
                .containsExactly("spec.autoscaling: set either tiers or lagPerReplica (with maxReplicas)",
                        "spec.autoscaling: minReplicas and maxReplicas do not go with tiers: the first tier's "
                                + "replicas are the minimum, the last tier's the maximum");
        assertThat(problems(a -> a.setLagPerReplica(10L)))
                .containsExactly("spec.autoscaling: lagPerReplica and maxReplicas go together");
    }

    @Test
    void rangesAreChecked() {
        assertThat(problems(linear(5, 3, 0).andThen(a -> {
            a.setActivationLag(-1L);
            a.setPollIntervalSeconds(0);
            a.setScaleDownDelaySeconds(100_000);
        }))).containsExactly(
                "spec.autoscaling.lagPerReplica: 0 is below the minimum of 1",
                "spec.autoscaling.activationLag: -1 is below the minimum of 0",
                "spec.autoscaling.scaleDownDelaySeconds: 100000 is above the maximum of 86400",
                "spec.autoscaling.pollIntervalSeconds: 0 is below the minimum of 1",
                "spec.autoscaling.minReplicas: 5 is above maxReplicas 3");
    }

    @Test
    void tiersStartAtZeroAndClimb() {
        assertThat(problems(a -> a.setTiers(List.of(new AutoscalingTier(100, 1), new AutoscalingTier(50, 0),
                new AutoscalingTier(500, 3), new AutoscalingTier(800, 2))))).containsExactly(
                "spec.autoscaling.tiers[0].lag: 100: the first tier starts at lag 0 (its replicas are the fewest pods)",
                "spec.autoscaling.tiers[1].replicas: 0: only the first tier may have 0 pods",
                "spec.autoscaling.tiers[1].lag: 50 is not above the previous tier's lag 100",
                "spec.autoscaling.tiers[1].replicas: 0 is below the previous tier's 1",
                "spec.autoscaling.tiers[3].replicas: 2 is below the previous tier's 3");
        assertThat(problems(a -> a.setTiers(List.of()))).containsExactly("spec.autoscaling.tiers: needs 1 to 20 tiers, not 0");
        assertThat(problems(a -> a.setTiers(List.of(new AutoscalingTier())))).containsExactly(
                "spec.autoscaling.tiers[0]: lag and replicas are required");
    }
}
