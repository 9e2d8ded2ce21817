package io.streamback.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * A Kubernetes object the operator creates for a custom resource and keeps as {@code desired}
 * says. It carries a controller owner reference to the custom resource, so Kubernetes' garbage
 * collector deletes it with its owner, and {@code kubectl describe} shows who controls it.
 *
 * <p>Ownership is that reference, not a label: the informers watch every object of the type (a
 * user may remove or change any label), events reach the owner through the reference, and an
 * object of the same name that the custom resource does not control is never taken over.
 *
 * @param <R> the object's type
 * @param <P> the custom resource's type
 */
public abstract class OwnedDependent<R extends HasMetadata, P extends HasMetadata>
        extends CRUDKubernetesDependentResource<R, P> {

    protected OwnedDependent(Class<R> type) {
        super(type);
    }

    /** The name of the object for {@code primary}; it lives in {@code primary}'s namespace. */
    public abstract String name(P primary);

    /** Finds the object by name, without computing the whole desired state. */
    @Override
    protected ResourceID targetSecondaryResourceID(P primary, Context<P> context) {
        return new ResourceID(name(primary), primary.getMetadata().getNamespace());
    }

    /**
     * Creates the object, unless another object already has its name: that one is not taken over,
     * and the error names both.
     */
    @Override
    public R create(R desired, P primary, Context<P> context) {
        eventSource()
                .flatMap(cache -> cache.get(new ResourceID(name(primary), primary.getMetadata().getNamespace())))
                .filter(existing -> !controlledBy(existing, primary))
                .ifPresent(existing -> {
                    throw new IllegalStateException(existing.getKind() + " \"" + name(primary)
                            + "\" already exists in namespace \"" + primary.getMetadata().getNamespace()
                            + "\" and is not controlled by " + primary.getKind() + " \""
                            + primary.getMetadata().getName() + "\": delete or rename it");
                });
        return super.create(desired, primary, context);
    }

    private static boolean controlledBy(HasMetadata object, HasMetadata owner) {
        return object.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && owner.getMetadata().getUid().equals(o.getUid()));
    }

    @Override
    protected void addReferenceHandlingMetadata(R desired, P primary) {
        desired.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                .withApiVersion(primary.getApiVersion())
                .withKind(primary.getKind())
                .withName(primary.getMetadata().getName())
                .withUid(primary.getMetadata().getUid())
                .withController(true)
                .build()));
    }
}
