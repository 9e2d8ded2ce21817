package io.streamback.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreambackScheduleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scheduler Deployment of a {@link StreambackSchedule} that needs seconds: one pod running
 * {@code streamback schedule}, whose Redis claim sends each occurrence once, even while a rollout
 * briefly runs two pods. Scaled to 0 while the schedule is suspended. Owned by the schedule.
 */
public class SchedulerDeploymentDependent extends OwnedDependent<Deployment, StreambackSchedule> {

    public static final String SUFFIX = "-scheduler";
    /** Grace period of the scheduler pod: the worker's default shutdown bound plus a margin. */
    public static final long GRACE_PERIOD_SECONDS = 45;

    public SchedulerDeploymentDependent() {
        super(Deployment.class);
    }

    /** The Deployment is named after the schedule, with {@value #SUFFIX}. */
    @Override
    public String name(StreambackSchedule schedule) {
        return schedule.getMetadata().getName() + SUFFIX;
    }

    @Override
    protected Deployment desired(StreambackSchedule schedule, Context<StreambackSchedule> context) {
        StreambackScheduleSpec spec = schedule.getSpec();
        String instance = schedule.getMetadata().getName();
        Map<String, String> labels = WorkerLabels.labels(instance, WorkerLabels.SCHEDULER);

        PodTemplateSpec template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels)
                .withAnnotations(WorkerPods.podAnnotations(null))
                .endMetadata()
                .withNewSpec()
                .withContainers(ScheduleContainers.worker(schedule, context, args(schedule),
                                List.of(WorkerPods.env(WorkerEnvironment.HTTP_PORT, String.valueOf(WorkerPods.PORT))))
                        .withPorts(WorkerPods.httpPort())
                        .withLivenessProbe(WorkerPods.liveness())
                        .withReadinessProbe(WorkerPods.readiness())
                        .withStartupProbe(WorkerPods.startup())
                        .build())
                .withVolumes(WorkerPods.volumes(spec.getStreamsSecretRef()))
                .withSecurityContext(WorkerPods.podSecurity())
                .withTerminationGracePeriodSeconds(GRACE_PERIOD_SECONDS)
                .withServiceAccountName(spec.getServiceAccountName())
                .withImagePullSecrets(WorkerPods.orNull(spec.getImagePullSecrets()))
                .endSpec()
                .build();

        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName(name(schedule))
                .withNamespace(schedule.getMetadata().getNamespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withReplicas(spec.suspended() ? 0 : 1)
                .withNewSelector().withMatchLabels(WorkerLabels.selector(instance, WorkerLabels.SCHEDULER)).endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withRevisionHistoryLimit(5)
                .withTemplate(PodTemplateOverlay.apply(spec.getPodTemplate(), template))
                .endSpec()
                .build();
        return deployment;
    }

    /** {@code schedule --name NAME --when CRON --then TOPIC --args JSON [--time-zone TZ]}. */
    static List<String> args(StreambackSchedule schedule) {
        StreambackScheduleSpec spec = schedule.getSpec();
        List<String> args = new ArrayList<>(List.of(
                "schedule",
                "--name", schedule.getMetadata().getName(),
                "--when", spec.getWhen().strip(),
                "--then", spec.getThen(),
                "--args", ScheduleContainers.argsJson(spec)));
        if (spec.getTimeZone() != null && !spec.getTimeZone().isBlank()) {
            args.add("--time-zone");
            args.add(spec.getTimeZone());
        }
        return args;
    }
}
