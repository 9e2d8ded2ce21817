package io.streamback.operator.schedule;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.streamback.operator.crd.StreambackSchedule;

/**
 * Workflow precondition of the CronJob: the schedule has minute granularity. When it does not
 * (any more), the operator SDK deletes the CronJob.
 */
public class RunsAsCronJob implements Condition<CronJob, StreambackSchedule> {

    @Override
    public boolean isMet(DependentResource<CronJob, StreambackSchedule> dependentResource,
                         StreambackSchedule schedule, Context<StreambackSchedule> context) {
        return CronSchedule.parse(schedule.getSpec().getWhen()).runsAsCronJob();
    }
}
