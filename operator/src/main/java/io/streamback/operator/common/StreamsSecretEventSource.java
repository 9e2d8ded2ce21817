package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.streamback.operator.crd.StreamsSecretRef;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The streams Secrets of a resource kind, as the operator SDK's secondary resources: an informer
 * on the Secrets of the watched namespaces, indexed by the resources that name them. Creating,
 * changing or deleting a Secret reconciles the resources that name it at once, and a
 * reconciliation reads the Secret from the informer's cache instead of the API server.
 */
public final class StreamsSecretEventSource {

    private static final String INDEX = "streamsSecret";

    private StreamsSecretEventSource() {
    }

    /**
     * @param secretRef the resource's {@code streamsSecretRef}; empty when it takes its streams URL inline
     */
    public static <P extends HasMetadata> InformerEventSource<Secret, P> create(
            EventSourceContext<P> context, Function<P, Optional<StreamsSecretRef>> secretRef) {
        context.getPrimaryCache().addIndexer(INDEX, primary -> secretRef.apply(primary)
                .map(ref -> List.of(key(primary.getMetadata().getNamespace(), ref.getName())))
                .orElse(List.of()));
        PrimaryToSecondaryMapper<P> toSecret = primary -> secretRef.apply(primary)
                .map(ref -> Set.of(new ResourceID(ref.getName(), primary.getMetadata().getNamespace())))
                .orElse(Set.of());
        InformerEventSourceConfiguration<Secret> configuration = InformerEventSourceConfiguration
                .from(Secret.class, context.getPrimaryResourceClass())
                .withName("streams-secrets")
                .withNamespacesInheritedFromController()
                .withPrimaryToSecondaryMapper(toSecret)
                .withSecondaryToPrimaryMapper(secret -> context.getPrimaryCache()
                        .byIndex(INDEX, key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
