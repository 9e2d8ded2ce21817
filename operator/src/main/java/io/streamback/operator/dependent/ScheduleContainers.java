package io.streamback.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreambackScheduleSpec;
import java.util.ArrayList;
import java.util.List;

/** The worker container of a schedule, shared by its CronJob and its scheduler Deployment. */
final class ScheduleContainers {

    private ScheduleContainers() {
    }

    /** A worker container running the CLI with {@code args}, configured with the schedule's streams and name. */
    static ContainerBuilder worker(StreambackSchedule schedule, Context<? extends HasMetadata> context,
                                   List<String> args, List<EnvVar> extraEnv) {
        StreambackScheduleSpec spec = schedule.getSpec();
        List<EnvVar> env = new ArrayList<>();
        env.addAll(WorkerPods.streamsEnv(spec));
        env.add(WorkerPods.env(WorkerEnvironment.NAME, schedule.getMetadata().getName()));
        env.addAll(extraEnv);
        return new ContainerBuilder()
                .withName(WorkerPods.CONTAINER)
                .withImage(WorkerDefaults.from(context).imageFor(spec.getImage()).orElseThrow())
                .withImagePullPolicy(WorkerPods.pullPolicy(spec.getImagePullPolicy()))
                .withArgs(args)
                .withEnv(WorkerPods.withUserEnv(env, spec.getEnv()))
                .withResources(spec.getResources())
                .withSecurityContext(WorkerPods.containerSecurity())
                .withTerminationMessagePolicy(WorkerPods.TERMINATION_MESSAGE_POLICY)
                .withVolumeMounts(WorkerPods.mounts(spec.getStreamsSecretRef()));
    }

    /** The message to send, as compact JSON; {@code {}} when the schedule has no args. */
    static String argsJson(StreambackScheduleSpec spec) {
        return spec.getArgs() == null ? "{}" : spec.getArgs().toString();
    }
}
