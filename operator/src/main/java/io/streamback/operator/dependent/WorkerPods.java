package io.streamback.operator.dependent;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.crd.ImagePullPolicy;
import io.streamback.operator.crd.StreamsSecretRef;
import io.streamback.operator.crd.WorkerPodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parts every worker pod shares: the worker contract's environment variables, the health
 * port and probes, the Prometheus annotations and the locked-down security settings.
 */
public final class WorkerPods {

    public static final String CONTAINER = "worker";

    /** The variables the operator sets itself; {@code spec.env} may not repeat them. */
    public static final Set<String> OPERATOR_VARIABLES =
            Set.of(WorkerEnvironment.STREAMS, WorkerEnvironment.NAME, WorkerEnvironment.TOPICS,
                    WorkerEnvironment.HTTP_PORT, WorkerEnvironment.SHUTDOWN_TIMEOUT_SECONDS,
                    WorkerEnvironment.MAX_MEMORY_MB, WorkerEnvironment.MAX_SECONDS, WorkerEnvironment.CA_FILE);

    /** The volume, directory and file name of the CA certificates of {@code streamsSecretRef.caKey}. */
    public static final String CA_VOLUME = "streams-ca";
    public static final String CA_DIRECTORY = "/etc/streamback/ca";
    public static final String CA_FILE_NAME = "ca.pem";

    /** The user and group worker pods run as: the worker image's (docker/worker/Dockerfile, USER). */
    public static final long RUN_AS_USER = 10001;

    /** The worker's port for /healthz, /readyz and /metrics: its default, so a pod run by hand agrees. */
    public static final int PORT = WorkerEnvironment.DEFAULT_HTTP_PORT;
    public static final String PORT_NAME = "http";

    /**
     * The container's termination message, which the operator quotes in the status of a failing pod:
     * the worker writes its one-line reason to /dev/termination-log when it exits with an error;
     * another image that writes none, the tail of its log when it fails.
     */
    public static final String TERMINATION_MESSAGE_POLICY = "FallbackToLogsOnError";

    private WorkerPods() {
    }

    public static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    /**
     * STREAMBACK_STREAMS: from the Secret key when the resource names one (the value never
     * enters the pod spec), else the inline URL.
     */
    private static EnvVar streams(String inline, StreamsSecretRef secretRef) {
        if (secretRef != null) {
            return new EnvVarBuilder().withName(WorkerEnvironment.STREAMS)
                    .withNewValueFrom()
                    .withNewSecretKeyRef().withName(secretRef.getName()).withKey(secretRef.keyOrDefault()).endSecretKeyRef()
                    .endValueFrom()
                    .build();
        }
        return env(WorkerEnvironment.STREAMS, inline);
    }

    /** The streams variables: STREAMBACK_STREAMS, and STREAMBACK_CA_FILE when the Secret holds the CA. */
    public static List<EnvVar> streamsEnv(WorkerPodSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        env.add(streams(spec.getStreams(), spec.getStreamsSecretRef()));
        if (caKey(spec.getStreamsSecretRef()).isPresent()) {
            env.add(env(WorkerEnvironment.CA_FILE, CA_DIRECTORY + "/" + CA_FILE_NAME));
        }
        return env;
    }

    private static Optional<String> caKey(StreamsSecretRef secretRef) {
        return Optional.ofNullable(secretRef).flatMap(StreamsSecretRef::caKeyIfSet);
    }

    /** The operator's variables followed by the resource's own {@code env}. */
    public static List<EnvVar> withUserEnv(List<EnvVar> operatorEnv, List<EnvVar> userEnv) {
        List<EnvVar> all = new ArrayList<>(operatorEnv);
        if (userEnv != null) {
            all.addAll(userEnv);
        }
        return all;
    }

    public static ContainerPort httpPort() {
        return new ContainerPortBuilder().withName(PORT_NAME).withContainerPort(PORT).withProtocol("TCP").build();
    }

    /** Liveness: GET /healthz; a worker that stops answering is restarted. */
    public static Probe liveness() {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/healthz").withPort(new IntOrString(PORT_NAME)).endHttpGet()
                .withInitialDelaySeconds(10)
                .withPeriodSeconds(10)
                .withFailureThreshold(3)
                .build();
    }

    /**
     * Readiness: GET /readyz; a worker is ready once its consumers have their partitions. No initial
     * delay: the kubelet runs it only once the {@link #startup() startup probe} has passed, and the
     * kubelet's prober then runs a readiness probe that has not succeeded yet without waiting for its period.
     */
    public static Probe readiness() {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/readyz").withPort(new IntOrString(PORT_NAME)).endHttpGet()
                .withPeriodSeconds(5)
                .withFailureThreshold(3)
                .build();
    }

    /** How long a worker may take to become ready the first time before the kubelet restarts it. */
    public static final int STARTUP_SECONDS = 300;

    /**
     * Startup: GET /readyz every second until it first answers 200, so that a worker that is ready
     * 1.5 s after its start is a ready pod then, not at the readiness probe's next 5 s tick; after that,
     * readiness and liveness probe at their own periods. A worker not ready within
     * {@value #STARTUP_SECONDS} s (the Kafka consumer's default max.poll.interval.ms, which bounds a
     * group's rebalance) is restarted.
     */
    public static Probe startup() {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/readyz").withPort(new IntOrString(PORT_NAME)).endHttpGet()
                .withPeriodSeconds(1)
                .withFailureThreshold(STARTUP_SECONDS)
                .build();
    }

    /** Pod annotations: the user's, then the Prometheus scrape annotations (which win). */
    public static Map<String, String> podAnnotations(Map<String, String> user) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (user != null) {
            annotations.putAll(user);
        }
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/port", String.valueOf(PORT));
        annotations.put("prometheus.io/path", "/metrics");
        return annotations;
    }

    /** Pod labels: the user's, then the operator's (which win). */
    public static Map<String, String> podLabels(Map<String, String> user, Map<String, String> operatorLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (user != null) {
            labels.putAll(user);
        }
        labels.putAll(operatorLabels);
        return labels;
    }

    /**
     * Non-root as the worker image's own numeric user and group ({@value #RUN_AS_USER}), so that
     * images built on it with a named or root user still run unprivileged; seccomp RuntimeDefault.
     */
    public static PodSecurityContext podSecurity() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withSeccompProfile(new SeccompProfile(null, "RuntimeDefault"))
                .build();
    }

    /** Non-root, read-only root filesystem, no privilege escalation, every capability dropped. */
    public static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withCapabilities(new Capabilities(null, List.of("ALL")))
                .withSeccompProfile(new SeccompProfile(null, "RuntimeDefault"))
                .build();
    }

    /**
     * A writable /tmp, since the root filesystem is read-only, and with {@code caKey} that one
     * key of the streams Secret (nothing else of it) as {@value #CA_FILE_NAME}.
     */
    public static List<Volume> volumes(StreamsSecretRef secretRef) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        caKey(secretRef).ifPresent(key -> volumes.add(new VolumeBuilder().withName(CA_VOLUME)
                .withNewSecret()
                .withSecretName(secretRef.getName())
                .addNewItem().withKey(key).withPath(CA_FILE_NAME).endItem()
                .endSecret()
                .build()));
        return volumes;
    }

    /** The mounts of {@link #volumes}: /tmp, and the CA directory read-only. */
    public static List<VolumeMount> mounts(StreamsSecretRef secretRef) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (caKey(secretRef).isPresent()) {
            mounts.add(new VolumeMountBuilder().withName(CA_VOLUME).withMountPath(CA_DIRECTORY).withReadOnly(true)
                    .build());
        }
        return mounts;
    }

    public static String pullPolicy(ImagePullPolicy policy) {
        return policy == null ? null : policy.name();
    }

    /** A list, or null when empty, so that an absent field and an empty one compare equal. */
    public static <T> List<T> orNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }

    /** A map, or null when empty, so that an absent field and an empty one compare equal. */
    public static <K, V> Map<K, V> orNull(Map<K, V> map) {
        return map == null || map.isEmpty() ? null : map;
    }
}
