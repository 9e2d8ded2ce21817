package io.streamback.operator.schedule;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.streamback.operator.common.SpecProblem;
import io.streamback.operator.common.StatusReporter;
import io.streamback.operator.common.StreamsSecretEventSource;
import io.streamback.operator.common.StreamsSecrets;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreambackScheduleSpec;
import io.streamback.operator.crd.StreambackScheduleStatus;
import io.streamback.operator.dependent.ScheduleCronJobDependent;
import io.streamback.operator.dependent.SchedulerDeploymentDependent;
import io.streamback.operator.dependent.WorkerDefaults;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a {@link StreambackSchedule} running as a CronJob (minute granularity) or as a scheduler
 * Deployment (seconds), and reports on it.
 *
 * <ol>
 *   <li>Check the spec (and that the streams Secret exists). A bad spec is reported in the
 *       status and an Event, and nothing is created or changed.</li>
 *   <li>Run the workflow: of the two dependents, the one whose precondition holds
 *       ({@link RunsAsCronJob}, {@link RunsAsScheduler}) is created or updated; the other is
 *       deleted, so changing {@code when} between minutes and seconds swaps them.</li>
 *   <li>Write the status: what runs it, the next occurrence and the conditions; and come back at
 *       the next occurrence (at most every 30 seconds) to move {@code nextScheduleTime} on.</li>
 * </ol>
 */
@ControllerConfiguration(name = StreambackScheduleReconciler.NAME)
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(type = ScheduleCronJobDependent.class, reconcilePrecondition = RunsAsCronJob.class),
    @Dependent(type = SchedulerDeploymentDependent.class, reconcilePrecondition = RunsAsScheduler.class)})
@GradualRetry(maxAttempts = -1, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
public class StreambackScheduleReconciler implements Reconciler<StreambackSchedule> {

    public static final String NAME = "streambackschedule";
    /** The shortest wait before refreshing nextScheduleTime, so frequent schedules cost few status writes. */
    static final Duration MIN_STATUS_REFRESH = Duration.ofSeconds(30);

    private final WorkerDefaults defaults;
    private final StatusReporter reporter;

    public StreambackScheduleReconciler(WorkerDefaults defaults, StatusReporter reporter) {
        this.defaults = defaults;
        this.reporter = reporter;
    }

    @Override
    public UpdateControl<StreambackSchedule> reconcile(StreambackSchedule schedule,
                                                       Context<StreambackSchedule> context) {
        StreambackScheduleStatus before = StatusReporter.copy(statusOf(schedule));

        List<SpecProblem> problems = ScheduleSpecValidator.validate(schedule, defaults);
        if (problems.isEmpty() && schedule.getSpec().getStreamsSecretRef() != null) {
            StreamsSecrets.check(context.getSecondaryResource(Secret.class).orElse(null),
                    schedule.getMetadata().getNamespace(), schedule.getSpec().getStreamsSecretRef())
                    .ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            return reporter.rejected(schedule, before, problems, context);
        }

        defaults.putInto(context);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

        Instant now = reporter.now();
        Optional<Instant> next = ScheduleStatusObserver.observe(schedule,
                CronSchedule.parse(schedule.getSpec().getWhen()),
                context.getSecondaryResource(CronJob.class).orElse(null),
                context.getSecondaryResource(Deployment.class).orElse(null),
                now);
        UpdateControl<StreambackSchedule> control = reporter.finish(schedule, before, context);
        next.map(t -> Duration.between(now, t))
                .map(wait -> wait.compareTo(MIN_STATUS_REFRESH) < 0 ? MIN_STATUS_REFRESH : wait)
                .ifPresent(control::rescheduleAfter);
        return control;
    }

    @Override
    public List<EventSource<?, StreambackSchedule>> prepareEventSources(EventSourceContext<StreambackSchedule> context) {
        return List.of(StreamsSecretEventSource.create(context,
                schedule -> Optional.ofNullable(schedule.getSpec()).map(StreambackScheduleSpec::getStreamsSecretRef)));
    }

    @Override
    public ErrorStatusUpdateControl<StreambackSchedule> updateErrorStatus(StreambackSchedule schedule,
                                                                          Context<StreambackSchedule> context,
                                                                          Exception e) {
        StreambackScheduleStatus before = context.getPrimaryCache().get(ResourceID.fromResource(schedule))
                .map(StreambackSchedule::getStatus)
                .map(StatusReporter::copy)
                .orElseGet(StreambackScheduleStatus::new);
        statusOf(schedule);
        return reporter.failed(schedule, before, e, context);
    }

    private static StreambackScheduleStatus statusOf(StreambackSchedule schedule) {
        if (schedule.getStatus() == null) {
            schedule.setStatus(new StreambackScheduleStatus());
        }
        return schedule.getStatus();
    }
}
