package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Lag-based scaling of a listener: the operator reads the consumer group's lag on the listener's
 * topics and sets the number of pods from it, either by {@code tiers} or linearly
 * ({@code lagPerReplica} between {@code minReplicas} and {@code maxReplicas}).
 *
 * <p>No field has a schema default: the CEL rules below test which fields are present, and a
 * default would make them all present. The operator applies the defaults ({@link #DEFAULT_MIN_REPLICAS}...).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.tiers) != has(self.lagPerReplica)",
        message = "set either spec.autoscaling.tiers or spec.autoscaling.lagPerReplica (with maxReplicas)")
@ValidationRule(value = "has(self.lagPerReplica) == has(self.maxReplicas)",
        message = "spec.autoscaling.lagPerReplica and spec.autoscaling.maxReplicas go together")
@ValidationRule(value = "!(has(self.tiers) && has(self.minReplicas))",
        message = "spec.autoscaling.minReplicas does not go with tiers: the first tier's replicas are the minimum")
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
        message = "spec.autoscaling.minReplicas must not be above maxReplicas")
public class Autoscaling {

    public static final int DEFAULT_MIN_REPLICAS = 1;
    public static final long DEFAULT_ACTIVATION_LAG = 0;
    public static final int DEFAULT_SCALE_DOWN_DELAY_SECONDS = 300;
    public static final int DEFAULT_POLL_INTERVAL_SECONDS = 30;
    public static final int MAX_TIERS = 20;
    public static final int MAX_SCALE_DOWN_DELAY_SECONDS = 86_400;
    public static final int MAX_POLL_INTERVAL_SECONDS = 3600;

    @Size(min = 1, max = MAX_TIERS)
    @JsonPropertyDescription("Pods by lag, in steps: [{lag: 0, replicas: 1}, {lag: 1000, replicas: 4}] runs 1 pod "
            + "below a lag of 1000 and 4 from 1000 on. Lags ascending, the first 0. "
            + "Set either tiers or lagPerReplica and maxReplicas.")
    private List<AutoscalingTier> tiers;

    @Min(0)
    @JsonPropertyDescription("Fewest pods, with lagPerReplica. 0 lets the listener scale to zero when there is "
            + "no lag (see activationLag). Default: 1.")
    private Integer minReplicas;

    @Min(1)
    @JsonPropertyDescription("Most pods, with lagPerReplica. Required with it.")
    private Integer maxReplicas;

    @Min(1)
    @JsonPropertyDescription("Lag one pod is for: the operator runs ceil(lag / lagPerReplica) pods, between "
            + "minReplicas and maxReplicas.")
    private Long lagPerReplica;

    @Min(0)
    @JsonPropertyDescription("When the fewest pods is 0: a listener at zero pods starts one only when the lag is "
            + "above this. Once running it keeps at least one pod until the lag is 0. Default: 0.")
    private Long activationLag;

    @Min(0)
    @Max(MAX_SCALE_DOWN_DELAY_SECONDS)
    @JsonPropertyDescription("Seconds the lag must keep calling for fewer pods before the operator removes any, "
            + "so a short lull does not cost a rebalance. Scaling up is immediate. Default: 300.")
    private Integer scaleDownDelaySeconds;

    @Min(1)
    @Max(MAX_POLL_INTERVAL_SECONDS)
    @JsonPropertyDescription("Seconds between two readings of the lag. Default: 30.")
    private Integer pollIntervalSeconds;

    public List<AutoscalingTier> getTiers() {
        return tiers;
    }

    public void setTiers(List<AutoscalingTier> tiers) {
        this.tiers = tiers;
    }

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Long getLagPerReplica() {
        return lagPerReplica;
    }

    public void setLagPerReplica(Long lagPerReplica) {
        this.lagPerReplica = lagPerReplica;
    }

    public Long getActivationLag() {
        return activationLag;
    }

    public void setActivationLag(Long activationLag) {
        this.activationLag = activationLag;
    }

    public Integer getScaleDownDelaySeconds() {
        return scaleDownDelaySeconds;
    }

    public void setScaleDownDelaySeconds(Integer scaleDownDelaySeconds) {
        this.scaleDownDelaySeconds = scaleDownDelaySeconds;
    }

    public Integer getPollIntervalSeconds() {
        return pollIntervalSeconds;
    }

    public void setPollIntervalSeconds(Integer pollIntervalSeconds) {
        this.pollIntervalSeconds = pollIntervalSeconds;
    }
}
