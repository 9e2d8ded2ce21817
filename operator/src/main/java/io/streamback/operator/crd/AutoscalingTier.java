package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One step of {@code autoscaling.tiers}: from this lag on, this many pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalingTier {

    @Required
    @Min(0)
    @JsonPropertyDescription("Lag (records not yet committed by the group, over all partitions of the topics) "
            + "from which this tier applies. The first tier's lag is 0; each next one is higher.")
    private Long lag;

    @Required
    @Min(0)
    @JsonPropertyDescription("Pods while the lag is at least this tier's lag and below the next tier's. "
            + "Only the first tier may have 0; no tier has fewer pods than the one before.")
    private Integer replicas;

    public AutoscalingTier() {
    }

    public AutoscalingTier(long lag, int replicas) {
        this.lag = lag;
        this.replicas = replicas;
    }

    public Long getLag() {
        return lag;
    }

    public void setLag(Long lag) {
        this.lag = lag;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }
}
