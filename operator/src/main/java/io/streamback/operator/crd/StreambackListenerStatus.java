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

    @JsonPropertyDescription("Ready: every desired pod is up. Degraded: something keeps the listener from its "
            + "desired state (bad spec, missing Secret, failing rollout).")
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

    @Override
    public List<StatusCondition> getConditions() {
        return conditions;
    }

    public void setConditions(List<StatusCondition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }
}
