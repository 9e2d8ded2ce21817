package io.streamback.operator.autoscaling;

import io.streamback.operator.crd.Autoscaling;
import java.time.Duration;
import java.util.List;

/**
 * A listener's {@code spec.autoscaling} with the defaults applied: how many pods a lag calls for,
 * and the timing around it. Built from a spec that {@link AutoscalingValidator} found no problem with.
 *
 * @param sizing         pods for a lag: tiers, or linear
 * @param activationLag  with a minimum of 0 pods: the lag a listener at zero must exceed to start a pod
 * @param scaleDownDelay how long the lag must call for fewer pods before they are removed
 * @param pollInterval   time between two readings of the lag
 */
public record AutoscalingPolicy(Sizing sizing, long activationLag, Duration scaleDownDelay, Duration pollInterval) {

    /** Pods for a lag, before activation, the partition cap and the scale-down delay. */
    public sealed interface Sizing permits Tiers, Linear {

        int replicasFor(long lag);

        /** The fewest pods this sizing ever asks for. */
        int minimum();

        /** The most pods this sizing ever asks for. */
        int maximum();

        /** Why {@code lag} calls for {@link #replicasFor} pods, for the status. */
        String explain(long lag);
    }

    /** From {@code lag} on, {@code replicas} pods. */
    public record Tier(long lag, int replicas) {
    }

    /** Steps: from each tier's lag on, its replicas. Lags ascending, the first 0. */
    public record Tiers(List<Tier> tiers) implements Sizing {

        public Tiers {
            tiers = List.copyOf(tiers);
        }

        private Tier tierFor(long lag) {
            Tier match = tiers.get(0);
            for (Tier tier : tiers) {
                if (lag >= tier.lag()) {
                    match = tier;
                }
            }
            return match;
        }

        @Override
        public int replicasFor(long lag) {
            return tierFor(lag).replicas();
        }

        @Override
        public int minimum() {
            return tiers.get(0).replicas();
        }

        @Override
        public int maximum() {
            return tiers.get(tiers.size() - 1).replicas();
        }

        @Override
        public String explain(long lag) {
            Tier tier = tierFor(lag);
            return "lag " + lag + " calls for " + pods(tier.replicas()) + " (tier from lag " + tier.lag() + ")";
        }
    }

    /** ceil(lag / lagPerReplica) pods, between min and max. */
    public record Linear(int min, int max, long lagPerReplica) implements Sizing {

        @Override
        public int replicasFor(long lag) {
            long perLag = lag / lagPerReplica + (lag % lagPerReplica == 0 ? 0 : 1);
            return (int) Math.max(min, Math.min(max, perLag));
        }

        @Override
        public int minimum() {
            return min;
        }

        @Override
        public int maximum() {
            return max;
        }

        @Override
        public String explain(long lag) {
            return "lag " + lag + " calls for " + pods(replicasFor(lag)) + " (one per " + lagPerReplica
                    + ", between " + min + " and " + max + ")";
        }
    }

    public static AutoscalingPolicy of(Autoscaling spec) {
        Sizing sizing = spec.getTiers() != null
                ? new Tiers(spec.getTiers().stream().map(t -> new Tier(t.getLag(), t.getReplicas())).toList())
                : new Linear(orDefault(spec.getMinReplicas(), Autoscaling.DEFAULT_MIN_REPLICAS),
                        spec.getMaxReplicas(), spec.getLagPerReplica());
        return new AutoscalingPolicy(sizing,
                spec.getActivationLag() == null ? Autoscaling.DEFAULT_ACTIVATION_LAG : spec.getActivationLag(),
                Duration.ofSeconds(orDefault(spec.getScaleDownDelaySeconds(),
                        Autoscaling.DEFAULT_SCALE_DOWN_DELAY_SECONDS)),
                Duration.ofSeconds(orDefault(spec.getPollIntervalSeconds(), Autoscaling.DEFAULT_POLL_INTERVAL_SECONDS)));
    }

    static String pods(int replicas) {
        return replicas + (replicas == 1 ? " pod" : " pods");
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
