package io.streamback.operator.listener;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.streamback.operator.common.SpecProblem;
import io.streamback.operator.common.StatusReporter;
import io.streamback.operator.common.StreamsSecretEventSource;
import io.streamback.operator.common.StreamsSecrets;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerSpec;
import io.streamback.operator.crd.StreambackListenerStatus;
import io.streamback.operator.crd.StreamsSecretRef;
import io.streamback.operator.dependent.ListenerDeploymentDependent;
import io.streamback.operator.dependent.WorkerDefaults;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keeps a {@link StreambackListener}'s Deployment as its spec says, and reports on it.
 *
 * <ol>
 *   <li>Check the spec (and that the streams Secret exists). A bad spec is reported in the
 *       status and an Event, and nothing is created or changed.</li>
 *   <li>Stamp a rolling restart if {@code autoRestart.maxSeconds} says one is due.</li>
 *   <li>With {@code autoscaling}: decide the pods from the last reading of the lag
 *       ({@link LagPolling} reads it off the reconciliation threads, every
 *       {@code pollIntervalSeconds}; {@link ListenerAutoscaling} decides).</li>
 *   <li>Run the workflow: {@link ListenerDeploymentDependent} creates or updates the Deployment.</li>
 *   <li>Write the Deployment's replicas and the Ready and Degraded conditions into the status,
 *       explaining pods that are not ready from what the kubelet reports on them
 *       ({@link ListenerPodEventSource}).</li>
 * </ol>
 *
 * Errors thrown on the way (the API server refusing something) are reported by
 * {@link #updateErrorStatus} and retried without end: after 2 s, 2 s, 4 s, 8 s, ... up to 5 min
 * between attempts (the operator SDK's {@code GradualRetry} counts its first wait twice). 5xx and
 * 429 answers are first retried by the Kubernetes client itself, 10 times from 100 ms doubling.
 */
@ControllerConfiguration(name = StreambackListenerReconciler.NAME)
@Workflow(explicitInvocation = true, dependents = @Dependent(type = ListenerDeploymentDependent.class))
@GradualRetry(maxAttempts = -1, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
public class StreambackListenerReconciler implements Reconciler<StreambackListener> {

    public static final String NAME = "streambacklistener";

    private final WorkerDefaults defaults;
    private final StatusReporter reporter;
    private final ListenerAutoscaling autoscaling;
    private final LagPolling lagPolling;

    /** @param lagPolling reads the lag of autoscaled listeners; the caller closes it after the operator stops */
    public StreambackListenerReconciler(WorkerDefaults defaults, StatusReporter reporter, LagPolling lagPolling) {
        this.defaults = defaults;
        this.reporter = reporter;
        this.lagPolling = lagPolling;
        this.autoscaling = new ListenerAutoscaling(reporter.clock());
    }

    @Override
    public UpdateControl<StreambackListener> reconcile(StreambackListener listener,
                                                       Context<StreambackListener> context) {
        StreambackListenerStatus before = StatusReporter.copy(statusOf(listener));
        Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);

        List<SpecProblem> problems = ListenerSpecValidator.validate(listener, defaults);
        Secret secret = null;
        if (problems.isEmpty() && listener.getSpec().getStreamsSecretRef() != null) {
            StreamsSecretRef secretRef = listener.getSpec().getStreamsSecretRef();
            String namespace = listener.getMetadata().getNamespace();
            secret = context.getSecondaryResource(Secret.class).orElse(null);
            StreamsSecrets.check(secret, namespace, secretRef).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            ListenerStatusObserver.observeReplicas(listener, deployment.orElse(null));
            return reporter.rejected(listener, before, problems, context);
        }
        Optional<Duration> nextRestart = RollingRestart.apply(listener, deployment, reporter.now());
        Optional<Duration> nextLagReading = autoscaling.apply(listener, deployment,
                lagPolling.lastReading(listener), context.getClient(),
                reporter.now());
        defaults.putInto(context);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

        ListenerStatusObserver.observe(listener, context.getSecondaryResource(Deployment.class).orElse(null),
                context.getSecondaryResources(Pod.class), reporter.now());
        UpdateControl<StreambackListener> control = reporter.finish(listener, before, context);
        Stream.of(nextRestart, nextLagReading).flatMap(Optional::stream).min(Comparator.naturalOrder())
                .ifPresent(control::rescheduleAfter);
        return control;
    }

    @Override
    public List<EventSource<?, StreambackListener>> prepareEventSources(EventSourceContext<StreambackListener> context) {
        InformerEventSource<Secret, StreambackListener> secrets = StreamsSecretEventSource.create(context,
                listener -> Optional.ofNullable(listener.getSpec()).map(StreambackListenerSpec::getStreamsSecretRef));
        return List.of(secrets, ListenerPodEventSource.create(context), lagPolling.eventSource(context, secrets));
    }

    @Override
    public ErrorStatusUpdateControl<StreambackListener> updateErrorStatus(StreambackListener listener,
                                                                          Context<StreambackListener> context,
                                                                          Exception e) {
        StreambackListenerStatus before = context.getPrimaryCache().get(ResourceID.fromResource(listener))
                .map(StreambackListener::getStatus)
                .map(StatusReporter::copy)
                .orElseGet(StreambackListenerStatus::new);
        statusOf(listener);
        return reporter.failed(listener, before, e, context);
    }

    private static StreambackListenerStatus statusOf(StreambackListener listener) {
        if (listener.getStatus() == null) {
            listener.setStatus(new StreambackListenerStatus());
        }
        return listener.getStatus();
    }
}
