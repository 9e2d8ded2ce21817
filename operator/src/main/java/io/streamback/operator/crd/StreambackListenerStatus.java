package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed of a {@link StreambackListener}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreambackListenerStatus implements ConditionedStatus {

    @JsonPropertyDescription("metadata.generation of the spec this status was computed from.")
    private Long observedGeneration;

    @StatusReplicas
    @JsonPropertyDescription("Pods the listener's Deployment has, ready or not.")
    private Integer replicas;

    @JsonPropertyDescription("Pods that pass their readiness probe (/readyz).")
    private Integer readyReplicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the listener's pods, for the scale subresource and a "
            + "HorizontalPodAutoscaler.")
    private String selector;

    @JsonPropertyDescription("When the operator last rolled the pods for autoRestart.maxSeconds, RFC 3339.")
    private String lastRestartTime;

    @JsonPropertyDescription("With autoscaling: the consumer group's lag at the last reading, summed over the "
            + "partitions of the listener's topics (records not yet committed).")
    private Long lag;

    @JsonPropertyDescription("With autoscaling: the pods the operator decided on, the Deployment's replicas.")
    private Integer desiredReplicas;

    @JsonPropertyDescription("With autoscaling: since when the lag has called for fewer pods than desiredReplicas, "
            + "RFC 3339; the operator scales down once this is autoscaling.scaleDownDelaySeconds old.")
    private String scaleDownPendingSince;

    @JsonPropertyDescription("Ready: every desired pod is up. Degraded: something keeps the listener from its "
            + "desired state (bad spec, missing Secret, failing rollout). "
            + "With autoscaling, also ScalingActive (the lag could be read), PartitionCapped (the lag calls for "
            + "more pods than the topics have partitions) and AutoscalingConflict (spec.concurrency is set, "
            + "e.g. by kubectl scale, and ignored).")
    private List<StatusCondition> conditions = new ArrayList<>();

    @Override
    public Long getObservedGeneration() {
        return observedGeneration;
    }

    @Override
    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public String getLastRestartTime() {
        return lastRestartTime;
    }

    public void setLastRestartTime(String lastRestartTime) {
        this.lastRestartTime = lastRestartTime;
    }

    public Long getLag() {
        return lag;
    }

    public void setLag(Long lag) {
        this.lag = lag;
    }

    public Integer getDesiredReplicas() {
        return desiredReplicas;
    }

    public void setDesiredReplicas(Integer desiredReplicas) {
        this.desiredReplicas = desiredReplicas;
    }

    public String getScaleDownPendingSince() {
        return scaleDownPendingSince;
    }

    public void setScaleDownPendingSince(String scaleDownPendingSince) {
        this.scaleDownPendingSince = scaleDownPendingSince;
    }

    @Override
    public List<StatusCondition> getConditions() {
        return conditions;
    }

    public void setConditions(List<StatusCondition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }
}
