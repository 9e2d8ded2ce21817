package io.streamback.operator.listener;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.dependent.WorkerLabels;
import java.util.Optional;
import java.util.Set;

/**
 * The listeners' worker pods, as secondary resources: an informer on the pods with the worker
 * labels of the listener component, each mapped to its listener by its instance label. A pod that
 * cannot pull its image, crashes or becomes ready reconciles its listener at once, which then
 * explains its pods in its status ({@link ListenerStatusObserver}).
 */
final class ListenerPodEventSource {

    private ListenerPodEventSource() {
    }

    static InformerEventSource<Pod, StreambackListener> create(EventSourceContext<StreambackListener> context) {
        InformerEventSourceConfiguration<Pod> configuration = InformerEventSourceConfiguration
                .from(Pod.class, StreambackListener.class)
                .withName("listener-pods")
                .withNamespacesInheritedFromController()
                .withLabelSelector(WorkerLabels.NAME + "=" + WorkerLabels.APP_NAME + ","
                        + WorkerLabels.COMPONENT + "=" + WorkerLabels.LISTENER)
                .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getLabels())
                        .map(labels -> labels.get(WorkerLabels.INSTANCE))
                        .map(listener -> Set.of(new ResourceID(listener, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }
}
