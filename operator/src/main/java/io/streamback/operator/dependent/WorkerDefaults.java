package io.streamback.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * What the operator's configuration adds to every worker pod: the default image. A reconciler
 * puts it into the reconciliation's context before running its dependents, whose
 * {@code desired(primary, context)} reads it back.
 *
 * @param image the worker image for resources that name none (STREAMBACK_WORKER_IMAGE); may be null
 */
public record WorkerDefaults(String image) {

    /** The image to run: the resource's own, else the default. Empty when neither is set. */
    public Optional<String> imageFor(String specImage) {
        if (specImage != null && !specImage.isBlank()) {
            return Optional.of(specImage);
        }
        return Optional.ofNullable(image).filter(i -> !i.isBlank());
    }

    public void putInto(Context<? extends HasMetadata> context) {
        context.managedWorkflowAndDependentResourceContext().put(WorkerDefaults.class, this);
    }

    public static WorkerDefaults from(Context<? extends HasMetadata> context) {
        return context.managedWorkflowAndDependentResourceContext()
                .getMandatory(WorkerDefaults.class, WorkerDefaults.class);
    }
}
