package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.streamback.operator.crd.ConditionedStatus;
import io.streamback.operator.crd.StatusCondition;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a reconciliation the same way for every resource kind: conditions set, a Kubernetes Event
 * when the Ready condition turns to a problem or back, and a status patch only when the status
 * changed.
 *
 * <p>Events are decided by comparing with the status a reconciliation starts from, so that status
 * must be the one the operator last wrote: the patched resource goes into the operator SDK's cache
 * at once, instead of waiting for the informer's watch to bring it back. Otherwise a Secret
 * deleted right after it was found would be reconciled against the older status, the same
 * problem as before, and neither its Event nor its status would be written.
 */
public final class StatusReporter {

    /** Ready's reason when the API server refused what the operator tried (after retries with backoff). */
    public static final String RECONCILE_ERROR = "ReconcileError";

    private static final Set<String> PROBLEMS = Stream.concat(
            Stream.of(SpecProblem.INVALID_SPEC, SpecProblem.SECRET_NOT_FOUND, RECONCILE_ERROR),
            PodHealth.PROBLEMS.stream()).collect(Collectors.toUnmodifiableSet());
    private static final int MAX_MESSAGE_LENGTH = 1024;

    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final KubernetesEvents events;
    private final Clock clock;

    public StatusReporter(Clock clock) {
        this.clock = clock;
        this.events = new KubernetesEvents(clock);
    }

    public Instant now() {
        return clock.instant();
    }

    public Clock clock() {
        return clock;
    }

    /**
     * A spec the operator will not act on: Ready=False and Degraded=True naming the fields, a
     * Warning Event, nothing created or changed. Problems that may resolve themselves (a Secret
     * created later) are looked at again after a {@link Backoff}; the others wait for a spec change.
     */
    public <S extends ConditionedStatus, P extends CustomResource<?, S>> UpdateControl<P> rejected(
            P resource, S before, List<SpecProblem> problems, Context<P> context) {
        S status = resource.getStatus();
        Long generation = resource.getMetadata().getGeneration();
        String reason = problems.get(0).reason();
        String message = problems.stream().map(SpecProblem::describe).collect(Collectors.joining("; "));
        Conditions.set(status, Conditions.READY, false, reason, message, generation, now());
        Conditions.set(status, Conditions.DEGRADED, true, reason, message, generation, now());
        UpdateControl<P> control = finish(resource, before, context);
        if (problems.stream().anyMatch(SpecProblem::mayResolveItself)) {
            Instant since = Conditions.get(status, Conditions.READY)
                    .map(c -> Instant.parse(c.getLastTransitionTime())).orElse(now());
            control.rescheduleAfter(Backoff.after(since, now()));
        }
        return control;
    }

    /**
     * The end of a reconciliation whose conditions the reconciler has set: observedGeneration,
     * Events on a change of Ready, and a patch if anything changed.
     */
    public <S extends ConditionedStatus, P extends CustomResource<?, S>> UpdateControl<P> finish(
            P resource, S before, Context<P> context) {
        S status = resource.getStatus();
        status.setObservedGeneration(resource.getMetadata().getGeneration());
        recordEvents(resource, before, context.getClient());
        patchIfChanged(resource, before, context);
        return UpdateControl.noUpdate();
    }

    /**
     * An error the reconciliation threw (an API call refused, say): Ready=False and Degraded=True
     * with the error, and an Event. The operator SDK retries with exponential backoff.
     */
    public <S extends ConditionedStatus, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> failed(
            P resource, S before, Exception error, Context<P> context) {
        S status = resource.getStatus();
        Long generation = resource.getMetadata().getGeneration();
        String message = truncate(describe(error));
        Conditions.set(status, Conditions.READY, false, RECONCILE_ERROR, message, generation, now());
        Conditions.set(status, Conditions.DEGRADED, true, RECONCILE_ERROR, message, generation, now());
        recordEvents(resource, before, context.getClient());
        try {
            patchIfChanged(resource, before, context);
        } catch (KubernetesClientException patchRefused) {
            // The retry of the reconciliation goes on; its Event above already says what failed.
            log.warn("Could not write the status of {}/{}: {}", resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), describe(patchRefused));
        }
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /** A server-side apply of the status, whose result the next reconciliation starts from. */
    private static <S extends ConditionedStatus, P extends CustomResource<?, S>> void patchIfChanged(
            P resource, S before, Context<P> context) {
        if (Objects.equals(Serialization.asJson(before), Serialization.asJson(resource.getStatus()))) {
            return;
        }
        P patched = context.getClient().resource(statusOnly(resource)).subresource("status")
                .patch(new PatchContext.Builder()
                        .withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager(context.getControllerConfiguration().fieldManager())
                        .withForce(true)
                        .build());
        context.eventSourceRetriever().getControllerEventSource()
                .handleRecentResourceUpdate(ResourceID.fromResource(resource), patched, resource);
    }

    /**
     * What a server-side apply of the status sends: the resource's identity and its whole status,
     * nothing of its spec or metadata. The operator owns every status field, so a field it no
     * longer sets is removed; and an apply needs no stored status to patch against, so the first
     * status of a fresh resource is written like any other.
     */
    @SuppressWarnings("unchecked")
    static <S extends ConditionedStatus, P extends CustomResource<?, S>> P statusOnly(P resource) {
        P applied;
        try {
            applied = (P) resource.getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(resource.getClass() + " has no public no-argument constructor", e);
        }
        applied.setMetadata(new ObjectMetaBuilder()
                .withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
                .build());
        applied.setStatus(resource.getStatus());
        return applied;
    }

    /** A deep copy of a status, to compare the final one with. */
    @SuppressWarnings("unchecked")
    public static <S> S copy(S status) {
        return (S) Serialization.unmarshal(Serialization.asJson(status), status.getClass());
    }

    private void recordEvents(CustomResource<?, ? extends ConditionedStatus> resource, ConditionedStatus before,
                              KubernetesClient client) {
        Optional<StatusCondition> was = Conditions.get(before, Conditions.READY);
        Optional<StatusCondition> is = Conditions.get(resource.getStatus(), Conditions.READY);
        if (is.isEmpty()) {
            return;
        }
        StatusCondition ready = is.get();
        boolean wasProblem = was.map(c -> PROBLEMS.contains(c.getReason())).orElse(false);
        boolean isProblem = PROBLEMS.contains(ready.getReason());
        boolean changed = was.map(c -> !Objects.equals(c.getReason(), ready.getReason())
                || !Objects.equals(c.getMessage(), ready.getMessage())).orElse(true);
        if (isProblem && changed) {
            events.record(client, resource, KubernetesEvents.WARNING, ready.getReason(), ready.getMessage());
        } else if (wasProblem && !isProblem) {
            events.record(client, resource, KubernetesEvents.NORMAL, "Reconciled",
                    "back to the desired state: " + ready.getMessage());
        }
    }

    /** The gist of an error: the API server's own message where there is one, without stack or URL noise. */
    static String describe(Throwable error) {
        if (error instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
            return aggregated.getAggregatedExceptions().values().stream()
                    .map(StatusReporter::describe)
                    .collect(Collectors.joining("; "));
        }
        if (error instanceof KubernetesClientException api && api.getStatus() != null
                && api.getStatus().getMessage() != null) {
            return api.getStatus().getMessage() + " (HTTP " + api.getCode() + ")";
        }
        if (error.getCause() != null && error.getCause() != error
                && (error.getMessage() == null || error.getCause() instanceof KubernetesClientException)) {
            return describe(error.getCause());
        }
        return Optional.ofNullable(error.getMessage()).orElse(error.getClass().getSimpleName());
    }

    /** {@code message} cut to the length the status and Events keep, marked with "..." where cut. */
    public static String truncate(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }
}
