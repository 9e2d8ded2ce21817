package io.streamback.operator.crd;

import java.util.List;

/** A status with Kubernetes-style conditions and the generation it reflects. */
public interface ConditionedStatus {

    List<StatusCondition> getConditions();

    Long getObservedGeneration();

    void setObservedGeneration(Long observedGeneration);
}
