package io.streamback.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.autoscaling.AutoscalingPolicy;
import io.streamback.operator.crd.AutoRestart;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Deployment of a {@link StreambackListener}: {@code concurrency} (or autoscaled) worker pods running
 * {@code streamback run} for the listener's topics. It is owned by the listener, so deleting the
 * listener deletes it.
 */
public class ListenerDeploymentDependent extends OwnedDependent<Deployment, StreambackListener> {

    /** Pod-template annotation whose change rolls the pods, as {@code kubectl rollout restart} does. */
    public static final String RESTARTED_AT = "streamback.io/restartedAt";

    public static final int DEFAULT_CONCURRENCY = StreambackListenerSpec.DEFAULT_CONCURRENCY;
    /** How much longer than the worker's own shutdown bound Kubernetes waits before killing it. */
    public static final int GRACE_PERIOD_MARGIN_SECONDS = 15;
    /** The worker recycles itself at this share of its memory limit, before the kernel kills it. */
    public static final double WORKER_MEMORY_SHARE = 0.9;

    public ListenerDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(StreambackListener listener, Context<StreambackListener> context) {
        StreambackListenerSpec spec = listener.getSpec();
        String instance = listener.getMetadata().getName();
        Map<String, String> labels = WorkerLabels.labels(instance, WorkerLabels.LISTENER);

        Map<String, String> podAnnotations = WorkerPods.podAnnotations(spec.getPodAnnotations());
        String restartedAt = listener.getStatus() == null ? null : listener.getStatus().getLastRestartTime();
        if (spec.getAutoRestart() != null && spec.getAutoRestart().getMaxSeconds() != null && restartedAt != null) {
            podAnnotations.put(RESTARTED_AT, restartedAt);
        }

        PodTemplateSpec template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(WorkerPods.podLabels(spec.getPodLabels(), labels))
                .withAnnotations(podAnnotations)
                .endMetadata()
                .withNewSpec()
                .withContainers(container(listener, context))
                .withVolumes(WorkerPods.volumes(spec.getStreamsSecretRef()))
                .withSecurityContext(WorkerPods.podSecurity())
                .withTerminationGracePeriodSeconds((long) shutdownTimeout(spec) + GRACE_PERIOD_MARGIN_SECONDS)
                .withServiceAccountName(spec.getServiceAccountName())
                .withImagePullSecrets(WorkerPods.orNull(spec.getImagePullSecrets()))
                .withNodeSelector(WorkerPods.orNull(spec.getNodeSelector()))
                .withTolerations(WorkerPods.orNull(spec.getTolerations()))
                .withAffinity(spec.getAffinity())
                .withTopologySpreadConstraints(WorkerPods.orNull(spec.getTopologySpreadConstraints()))
                .withPriorityClassName(spec.getPriorityClassName())
                .endSpec()
                .build();

        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName(name(listener))
                .withNamespace(listener.getMetadata().getNamespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas(listener))
                .withNewSelector().withMatchLabels(WorkerLabels.selector(instance, WorkerLabels.LISTENER)).endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString("25%"))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withRevisionHistoryLimit(5)
                .withTemplate(PodTemplateOverlay.apply(spec.getPodTemplate(), template))
                .endSpec()
                .build();
        return deployment;
    }

    private static Container container(StreambackListener listener, Context<StreambackListener> context) {
        StreambackListenerSpec spec = listener.getSpec();
        return new ContainerBuilder()
                .withName(WorkerPods.CONTAINER)
                .withImage(WorkerDefaults.from(context).imageFor(spec.getImage()).orElseThrow())
                .withImagePullPolicy(WorkerPods.pullPolicy(spec.getImagePullPolicy()))
                .withCommand(WorkerPods.orNull(spec.getCommand()))
                .withArgs(spec.getArgs() == null || spec.getArgs().isEmpty() ? List.of("run") : spec.getArgs())
                .withEnv(WorkerPods.withUserEnv(workerEnv(listener), spec.getEnv()))
                .withPorts(WorkerPods.httpPort())
                .withLivenessProbe(WorkerPods.liveness())
                .withReadinessProbe(WorkerPods.readiness())
                .withStartupProbe(WorkerPods.startup())
                .withResources(resources(spec))
                .withSecurityContext(WorkerPods.containerSecurity())
                .withTerminationMessagePolicy(WorkerPods.TERMINATION_MESSAGE_POLICY)
                .withVolumeMounts(WorkerPods.mounts(spec.getStreamsSecretRef()))
                .build();
    }

    /** The worker contract's variables for {@code streamback run}. */
    private static List<EnvVar> workerEnv(StreambackListener listener) {
        StreambackListenerSpec spec = listener.getSpec();
        List<EnvVar> env = new ArrayList<>();
        env.addAll(WorkerPods.streamsEnv(spec));
        env.add(WorkerPods.env(WorkerEnvironment.NAME, group(listener)));
        env.add(WorkerPods.env(WorkerEnvironment.TOPICS, String.join(",", spec.getTopics())));
        env.add(WorkerPods.env(WorkerEnvironment.HTTP_PORT, String.valueOf(WorkerPods.PORT)));
        env.add(WorkerPods.env(WorkerEnvironment.SHUTDOWN_TIMEOUT_SECONDS, String.valueOf(shutdownTimeout(spec))));
        AutoRestart autoRestart = spec.getAutoRestart();
        if (autoRestart != null && autoRestart.getMaxMemoryMb() != null) {
            env.add(WorkerPods.env(WorkerEnvironment.MAX_MEMORY_MB, String.valueOf(workerMemoryMb(autoRestart))));
        }
        if (autoRestart != null && autoRestart.getMaxSeconds() != null) {
            env.add(WorkerPods.env(WorkerEnvironment.MAX_SECONDS, String.valueOf(autoRestart.getMaxSeconds())));
        }
        return env;
    }

    /**
     * The container's resources: {@code resources} as given, {@code memory} filling in the memory
     * request and limit it leaves unset, and {@code autoRestart.maxMemoryMb} setting the limit.
     */
    public static ResourceRequirements resources(StreambackListenerSpec spec) {
        ResourceRequirements given = spec.getResources();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (given != null && given.getRequests() != null) {
            requests.putAll(given.getRequests());
        }
        if (given != null && given.getLimits() != null) {
            limits.putAll(given.getLimits());
        }
        if (spec.getMemory() != null) {
            requests.putIfAbsent("memory", new Quantity(spec.getMemory()));
            limits.putIfAbsent("memory", new Quantity(spec.getMemory()));
        }
        if (spec.getAutoRestart() != null && spec.getAutoRestart().getMaxMemoryMb() != null) {
            limits.put("memory", mebibytes(spec.getAutoRestart().getMaxMemoryMb()));
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return null;
        }
        ResourceRequirements resources = new ResourceRequirements();
        resources.setRequests(requests.isEmpty() ? null : requests);
        resources.setLimits(limits.isEmpty() ? null : limits);
        return resources;
    }

    /**
     * A quantity of MiB written the way the API server writes it back (1024Mi is 1Gi), so that
     * comparing the desired Deployment with the stored one finds no difference.
     */
    static Quantity mebibytes(int mebibytes) {
        return new Quantity(mebibytes % 1024 == 0 ? (mebibytes / 1024) + "Gi" : mebibytes + "Mi");
    }

    /** STREAMBACK_MAX_MEMORY_MB: the worker's own limit, under the container's. */
    public static long workerMemoryMb(AutoRestart autoRestart) {
        return (long) Math.floor(autoRestart.getMaxMemoryMb() * WORKER_MEMORY_SHARE);
    }

    public static String group(StreambackListener listener) {
        String group = listener.getSpec().getGroup();
        return group == null || group.isBlank() ? listener.getMetadata().getName() : group;
    }

    /**
     * The Deployment's replicas: with autoscaling, what the operator decided from the lag
     * ({@code status.desiredReplicas}, set before the Deployment is reconciled); otherwise
     * {@code concurrency}.
     */
    public static int replicas(StreambackListener listener) {
        if (listener.getSpec().getAutoscaling() != null) {
            Integer decided = listener.getStatus() == null ? null : listener.getStatus().getDesiredReplicas();
            return decided != null ? decided
                    : AutoscalingPolicy.of(listener.getSpec().getAutoscaling()).sizing().minimum();
        }
        return concurrency(listener.getSpec());
    }

    public static int concurrency(StreambackListenerSpec spec) {
        return spec.getConcurrency() == null ? DEFAULT_CONCURRENCY : spec.getConcurrency();
    }

    public static int shutdownTimeout(StreambackListenerSpec spec) {
        return spec.getShutdownTimeoutSeconds() == null
                ? WorkerEnvironment.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS : spec.getShutdownTimeoutSeconds();
    }

    /** The Deployment is named after the listener. */
    @Override
    public String name(StreambackListener listener) {
        return listener.getMetadata().getName();
    }
}
