package io.streamback.operator.schedule;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.streamback.operator.crd.StreambackSchedule;

/**
 * Workflow precondition of the scheduler Deployment: the schedule needs seconds. When it does not
 * (any more), the operator SDK deletes the Deployment.
 */
public class RunsAsScheduler implements Condition<Deployment, StreambackSchedule> {

    @Override
    public boolean isMet(DependentResource<Deployment, StreambackSchedule> dependentResource,
                         StreambackSchedule schedule, Context<StreambackSchedule> context) {
        return !CronSchedule.parse(schedule.getSpec().getWhen()).runsAsCronJob();
    }
}
