package io.streamback.operator.autoscaling;

import io.streamback.operator.common.SpecProblem;
import io.streamback.operator.crd.Autoscaling;
import io.streamback.operator.crd.AutoscalingTier;
import java.util.List;

/**
 * The CRD's rules for {@code spec.autoscaling}, checked again by the operator (for API servers that
 * do not evaluate CEL, or an old CRD), plus the tier order, which the schema does not express.
 */
public final class AutoscalingValidator {

    private static final String FIELD = "spec.autoscaling";

    private AutoscalingValidator() {
    }

    public static void validate(List<SpecProblem> problems, Autoscaling autoscaling) {
        if (autoscaling == null) {
            return;
        }
        boolean tiers = autoscaling.getTiers() != null;
        boolean linear = autoscaling.getLagPerReplica() != null;
        if (tiers == linear) {
            problems.add(SpecProblem.invalid(FIELD, "set either tiers or lagPerReplica (with maxReplicas)"));
        }
        if (linear != (autoscaling.getMaxReplicas() != null) && !tiers) {
            problems.add(SpecProblem.invalid(FIELD, "lagPerReplica and maxReplicas go together"));
        }
        if (tiers && (autoscaling.getMinReplicas() != null || autoscaling.getMaxReplicas() != null)) {
            problems.add(SpecProblem.invalid(FIELD, "minReplicas and maxReplicas do not go with tiers: "
                    + "the first tier's replicas are the minimum, the last tier's the maximum"));
        }
        atLeast(problems, "minReplicas", autoscaling.getMinReplicas(), 0);
        atLeast(problems, "maxReplicas", autoscaling.getMaxReplicas(), 1);
        atLeast(problems, "lagPerReplica", autoscaling.getLagPerReplica(), 1);
        atLeast(problems, "activationLag", autoscaling.getActivationLag(), 0);
        between(problems, "scaleDownDelaySeconds", autoscaling.getScaleDownDelaySeconds(), 0,
                Autoscaling.MAX_SCALE_DOWN_DELAY_SECONDS);
        between(problems, "pollIntervalSeconds", autoscaling.getPollIntervalSeconds(), 1,
                Autoscaling.MAX_POLL_INTERVAL_SECONDS);
        if (autoscaling.getMinReplicas() != null && autoscaling.getMaxReplicas() != null
                && autoscaling.getMinReplicas() > autoscaling.getMaxReplicas()) {
            problems.add(SpecProblem.invalid(FIELD + ".minReplicas", autoscaling.getMinReplicas()
                    + " is above maxReplicas " + autoscaling.getMaxReplicas()));
        }
        if (tiers) {
            tiers(problems, autoscaling.getTiers());
        }
    }

    private static void tiers(List<SpecProblem> problems, List<AutoscalingTier> tiers) {
        String field = FIELD + ".tiers";
        if (tiers.isEmpty() || tiers.size() > Autoscaling.MAX_TIERS) {
            problems.add(SpecProblem.invalid(field, "needs 1 to " + Autoscaling.MAX_TIERS + " tiers, not " + tiers.size()));
            return;
        }
        for (int i = 0; i < tiers.size(); i++) {
            AutoscalingTier tier = tiers.get(i);
            String at = field + "[" + i + "]";
            if (tier == null || tier.getLag() == null || tier.getReplicas() == null) {
                problems.add(SpecProblem.invalid(at, "lag and replicas are required"));
                return;
            }
            if (i == 0 && tier.getLag() != 0) {
                problems.add(SpecProblem.invalid(at + ".lag", tier.getLag()
                        + ": the first tier starts at lag 0 (its replicas are the fewest pods)"));
            }
            if (tier.getReplicas() < (i == 0 ? 0 : 1)) {
                problems.add(SpecProblem.invalid(at + ".replicas", tier.getReplicas()
                        + (i == 0 ? " is negative" : ": only the first tier may have 0 pods")));
            }
            if (i > 0) {
                AutoscalingTier previous = tiers.get(i - 1);
                if (previous.getLag() != null && tier.getLag() <= previous.getLag()) {
                    problems.add(SpecProblem.invalid(at + ".lag", tier.getLag()
                            + " is not above the previous tier's lag " + previous.getLag()));
                }
                if (previous.getReplicas() != null && tier.getReplicas() < previous.getReplicas()) {
                    problems.add(SpecProblem.invalid(at + ".replicas", tier.getReplicas()
                            + " is below the previous tier's " + previous.getReplicas()));
                }
            }
        }
    }

    private static void atLeast(List<SpecProblem> problems, String name, Number value, long min) {
        if (value != null && value.longValue() < min) {
            problems.add(SpecProblem.invalid(FIELD + "." + name, value + " is below the minimum of " + min));
        }
    }

    private static void between(List<SpecProblem> problems, String name, Integer value, int min, int max) {
        atLeast(problems, name, value, min);
        if (value != null && value > max) {
            problems.add(SpecProblem.invalid(FIELD + "." + name, value + " is above the maximum of " + max));
        }
    }
}
