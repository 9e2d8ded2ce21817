package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on a resource, the ones {@code kubectl describe} shows. Recording is
 * best effort: a failure is logged, never thrown into a reconciliation.
 */
public final class KubernetesEvents {

    public static final String COMPONENT = "streamback-operator";
    public static final String WARNING = "Warning";
    public static final String NORMAL = "Normal";

    private static final Logger log = LoggerFactory.getLogger(KubernetesEvents.class);

    private final Clock clock;

    public KubernetesEvents(Clock clock) {
        this.clock = clock;
    }

    public void record(KubernetesClient client, HasMetadata resource, String type, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = resource.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(resource.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()))
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind())
                        .withName(resource.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(resource.getMetadata().getUid())
                        .withResourceVersion(resource.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            log.warn("Could not record event {} on {}/{}: {}", reason, namespace, resource.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
