package io.streamback.operator.dependent;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreambackScheduleSpec;
import io.streamback.operator.schedule.CronSchedule;
import java.util.List;
import java.util.Map;

/**
 * The CronJob of a minute-granularity {@link StreambackSchedule}: one Job per occurrence, each
 * running {@code streamback send THEN ARGS_JSON}. Owned by the schedule.
 */
public class ScheduleCronJobDependent extends OwnedDependent<CronJob, StreambackSchedule> {

    /** Runs that could not start within this many seconds of their time are skipped, not piled up. */
    public static final long STARTING_DEADLINE_SECONDS = 120;
    public static final int HISTORY_LIMIT = 3;

    public ScheduleCronJobDependent() {
        super(CronJob.class);
    }

    @Override
    protected CronJob desired(StreambackSchedule schedule, Context<StreambackSchedule> context) {
        StreambackScheduleSpec spec = schedule.getSpec();
        String instance = schedule.getMetadata().getName();
        Map<String, String> labels = WorkerLabels.labels(instance, WorkerLabels.SCHEDULE);
        List<String> args = List.of("send", spec.getThen(), ScheduleContainers.argsJson(spec));

        PodTemplateSpec template = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withContainers(ScheduleContainers.worker(schedule, context, args, List.of()).build())
                .withVolumes(WorkerPods.volumes(spec.getStreamsSecretRef()))
                .withSecurityContext(WorkerPods.podSecurity())
                .withServiceAccountName(spec.getServiceAccountName())
                .withImagePullSecrets(WorkerPods.orNull(spec.getImagePullSecrets()))
                .endSpec()
                .build();

        CronJob cronJob = new CronJobBuilder()
                .withNewMetadata()
                .withName(name(schedule))
                .withNamespace(schedule.getMetadata().getNamespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withSchedule(CronSchedule.parse(spec.getWhen()).cronJobSchedule())
                .withTimeZone(spec.getTimeZone())
                .withSuspend(spec.suspended())
                .withConcurrencyPolicy("Forbid")
                .withStartingDeadlineSeconds(STARTING_DEADLINE_SECONDS)
                .withSuccessfulJobsHistoryLimit(HISTORY_LIMIT)
                .withFailedJobsHistoryLimit(HISTORY_LIMIT)
                .withNewJobTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withBackoffLimit(2)
                .withActiveDeadlineSeconds(300L)
                .withTemplate(PodTemplateOverlay.apply(spec.getPodTemplate(), template))
                .endSpec()
                .endJobTemplate()
                .endSpec()
                .build();
        return cronJob;
    }

    /** The CronJob is named after the schedule. */
    @Override
    public String name(StreambackSchedule schedule) {
        return schedule.getMetadata().getName();
    }
}
