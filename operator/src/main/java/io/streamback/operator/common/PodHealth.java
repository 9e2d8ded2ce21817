package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.streamback.callback.MemoryLimitExceededException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Why a resource's pods are not ready, from what the kubelet reports on them: the Deployment's
 * status only counts them. The worst problem wins (an image that cannot be pulled, then
 * containers that fail, then pods no node takes), told for the first pod by name that has it.
 * Messages leave out what changes on every restart (restart counts, back-off times), so that a
 * crash loop keeps one status and one Event.
 */
public final class PodHealth {

    /** The image cannot be pulled: not found, no access, an invalid name, or absent under pull policy Never. */
    public static final String IMAGE_PULL_FAILED = "ImagePullFailed";
    /** A container exits with an error, or cannot be created (a missing Secret key, say). */
    public static final String PODS_FAILING = "PodsFailing";
    /** No node takes the pods (resources, node selector, taints). */
    public static final String PODS_UNSCHEDULABLE = "PodsUnschedulable";

    public static final Set<String> PROBLEMS = Set.of(IMAGE_PULL_FAILED, PODS_FAILING, PODS_UNSCHEDULABLE);

    /** The kubelet's waiting reasons for an image it cannot pull. */
    static final Set<String> IMAGE_PULL_REASONS =
            Set.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName");
    /** The kubelet's waiting reasons for a container it cannot create or start. */
    static final Set<String> CONTAINER_ERROR_REASONS =
            Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    /** A container's termination message as shown: Kubernetes allows 4 KiB, the tail of a log says the most. */
    static final int MAX_TERMINATION_MESSAGE = 400;

    /** One problem of one or more pods: the condition's reason, and what is wrong with the first pod. */
    public record Problem(String reason, String message) {
    }

    private record Diagnosis(int severity, String reason, String pod, String message) {
    }

    private PodHealth() {
    }

    /** The worst problem among {@code pods}, or empty when none reports one (pending or starting pods). */
    public static Optional<Problem> problem(Collection<Pod> pods) {
        List<Diagnosis> diagnoses = pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null)
                .map(PodHealth::diagnose)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparingInt(Diagnosis::severity).thenComparing(Diagnosis::pod))
                .toList();
        if (diagnoses.isEmpty()) {
            return Optional.empty();
        }
        Diagnosis worst = diagnoses.get(0);
        long alike = diagnoses.stream().filter(d -> d.reason().equals(worst.reason())).count();
        String others = alike > 1 ? " (and " + (alike - 1) + " more pod" + (alike > 2 ? "s" : "") + ")" : "";
        return Optional.of(new Problem(worst.reason(), "pod " + worst.pod() + ": " + worst.message() + others));
    }

    private static Optional<Diagnosis> diagnose(Pod pod) {
        String name = pod.getMetadata().getName();
        PodStatus status = pod.getStatus();
        List<ContainerStatus> containers = new ArrayList<>();
        Optional.ofNullable(status.getInitContainerStatuses()).ifPresent(containers::addAll);
        Optional.ofNullable(status.getContainerStatuses()).ifPresent(containers::addAll);
        Optional<Diagnosis> container = containers.stream()
                .map(c -> diagnose(name, c))
                .flatMap(Optional::stream)
                .min(Comparator.comparingInt(Diagnosis::severity));
        if (container.isPresent()) {
            return container;
        }
        return Stream.ofNullable(status.getConditions()).flatMap(List::stream)
                .filter(c -> "PodScheduled".equals(c.getType()) && Conditions.FALSE.equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()))
                .findFirst()
                .map(c -> new Diagnosis(2, PODS_UNSCHEDULABLE, name, "cannot be scheduled: " + orEmpty(c.getMessage())));
    }

    private static Optional<Diagnosis> diagnose(String pod, ContainerStatus container) {
        ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
        if (waiting != null && IMAGE_PULL_REASONS.contains(waiting.getReason())) {
            return Optional.of(new Diagnosis(0, IMAGE_PULL_FAILED, pod, "image \"" + container.getImage()
                    + "\" cannot be pulled (" + waiting.getReason() + ": " + orEmpty(waiting.getMessage()) + ")"));
        }
        if (waiting != null && CONTAINER_ERROR_REASONS.contains(waiting.getReason())) {
            return Optional.of(new Diagnosis(1, PODS_FAILING, pod, "container \"" + container.getName()
                    + "\" cannot start (" + waiting.getReason() + ": " + orEmpty(waiting.getMessage()) + ")"));
        }
        return failedTermination(container).map(terminated -> new Diagnosis(1, PODS_FAILING, pod,
                "container \"" + container.getName() + "\" exited with code " + terminated.getExitCode()
                        + terminationMessage(terminated)));
    }

    /**
     * The container's failed exit, while it has not recovered from it: terminated now, or not ready
     * since (restarting, in CrashLoopBackOff, or running again until it fails again). The worker's
     * own "restart me" exit after recycling on memory is no failure.
     */
    private static Optional<ContainerStateTerminated> failedTermination(ContainerStatus container) {
        ContainerStateTerminated now = container.getState() == null ? null : container.getState().getTerminated();
        ContainerStateTerminated last = Boolean.TRUE.equals(container.getReady()) || container.getLastState() == null
                ? null : container.getLastState().getTerminated();
        return Stream.of(now, last)
                .filter(t -> t != null && t.getExitCode() != null && t.getExitCode() != 0
                        && t.getExitCode() != MemoryLimitExceededException.EXIT_CODE)
                .findFirst();
    }

    /**
     * ": " and the termination message (the worker writes its one-line reason; other images' log
     * tails with {@code FallbackToLogsOnError}, which show no more than the pod's log does) on one
     * line, shortened from the front; or the kubelet's reason (Error, OOMKilled) without one.
     */
    static String terminationMessage(ContainerStateTerminated terminated) {
        String message = orEmpty(terminated.getMessage()).replaceAll("\\s+", " ").trim();
        if (message.isEmpty()) {
            return terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")";
        }
        if (message.length() > MAX_TERMINATION_MESSAGE) {
            message = "..." + message.substring(message.length() - MAX_TERMINATION_MESSAGE);
        }
        return ": " + message;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
