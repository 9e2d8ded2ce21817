package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * One entry of {@code status.conditions}, shaped like Kubernetes' own {@code metav1.Condition},
 * so {@code kubectl wait --for=condition=Ready} works.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatusCondition {

    @Required
    @JsonPropertyDescription("Type of the condition: Ready, Degraded, or for autoscaled listeners ScalingActive, "
            + "PartitionCapped and AutoscalingConflict.")
    private String type;

    @Required
    @JsonPropertyDescription("True, False or Unknown.")
    private String status;

    @JsonPropertyDescription("One-word CamelCase reason for the condition's last transition, e.g. InvalidSpec.")
    private String reason;

    @JsonPropertyDescription("Human-readable details; for bad input it names the field, e.g. spec.when.")
    private String message;

    @JsonPropertyDescription("Time the condition last changed status, RFC 3339.")
    private String lastTransitionTime;

    @JsonPropertyDescription("metadata.generation of the resource this condition was computed from.")
    private Long observedGeneration;

    public StatusCondition() {
    }

    public StatusCondition(String type, String status, String reason, String message,
                           String lastTransitionTime, Long observedGeneration) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
        this.lastTransitionTime = lastTransitionTime;
        this.observedGeneration = observedGeneration;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    @Override
    public String toString() {
        return type + "=" + status + " (" + reason + ": " + message + ")";
    }
}
