package io.streamback.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;

/**
 * Stamps a desired object with a hash of its spec, in the annotation {@value #ANNOTATION}.
 *
 * <p>Without server-side apply, the operator SDK decides whether an object needs updating by
 * checking that every value of the desired object is present in the actual one; that check alone
 * cannot see a value the spec stopped asking for (an environment variable removed, a limit
 * dropped). The hash can: any change of the desired spec changes it, and a changed annotation is
 * an update. Hand edits of the values the operator sets are still caught by the value check.
 */
public final class SpecHash {

    public static final String ANNOTATION = "streamback.io/spec-hash";

    private SpecHash() {
    }

    /** Adds the hash of {@code spec} to {@code desired}'s annotations and returns {@code desired}. */
    public static <T extends HasMetadata> T stamp(T desired, Object spec) {
        if (desired.getMetadata().getAnnotations() == null) {
            desired.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        desired.getMetadata().getAnnotations().put(ANNOTATION, of(spec));
        return desired;
    }

    static String of(Object spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Serialization.asJson(spec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
