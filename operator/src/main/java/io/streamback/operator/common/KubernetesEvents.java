package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on a resource, the ones {@code kubectl describe} shows. Like
 * Kubernetes' own recorders, it aggregates: one Event per object, type and reason, whose
 * {@code count} and {@code lastTimestamp} grow with each recurrence and whose message is the
 * latest. Recording is best effort: a failure is logged, never thrown into a reconciliation.
 */
public final class KubernetesEvents {

    public static final String COMPONENT = "streamback-operator";
    public static final String WARNING = "Warning";
    public static final String NORMAL = "Normal";

    private static final Logger log = LoggerFactory.getLogger(KubernetesEvents.class);

    /** 253 characters of a DNS subdomain, less a dot and 16 hex digits. */
    private static final int MAX_PREFIX = 236;

    private final Clock clock;

    public KubernetesEvents(Clock clock) {
        this.clock = clock;
    }

    public void record(KubernetesClient client, HasMetadata resource, String type, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = resource.getMetadata().getNamespace();
        String name = eventName(resource, type, reason);
        try {
            try {
                client.v1().events().inNamespace(namespace).resource(newEvent(resource, name, type, reason, message, now))
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                client.v1().events().inNamespace(namespace).withName(name).edit(event -> {
                    event.setCount(event.getCount() == null ? 2 : event.getCount() + 1);
                    event.setLastTimestamp(now);
                    event.setMessage(message);
                    return event;
                });
            }
        } catch (KubernetesClientException e) {
            log.warn("Could not record event {} on {}/{}: {}", reason, namespace, resource.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /** The same name for every Event of one object (this incarnation of it), type and reason. */
    static String eventName(HasMetadata resource, String type, String reason) {
        String key = resource.getMetadata().getUid() + "/" + type + "/" + reason;
        String object = resource.getMetadata().getName();
        // An object name may be as long as an Event's may: keep room for the suffix.
        String prefix = object.length() > MAX_PREFIX ? object.substring(0, MAX_PREFIX) : object;
        return prefix + "." + HexFormat.of().formatHex(sha256(key), 0, 8);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Event newEvent(HasMetadata resource, String name, String type, String reason, String message,
                                  String now) {
        String namespace = resource.getMetadata().getNamespace();
        return new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind())
                        .withName(resource.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(resource.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .build();
    }
}
