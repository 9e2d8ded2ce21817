package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.Secret;
import io.streamback.operator.crd.StreamsSecretRef;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks that the Secret a resource takes its streams URL from exists and has the key, and the
 * CA certificates under {@code caKey} when the resource names one. The values reach the pods
 * through a {@code secretKeyRef} and a Secret volume; the operator reads them only to autoscale a
 * listener (its admin client connects to the same Kafka), and never writes them anywhere.
 */
public final class StreamsSecrets {

    private StreamsSecrets() {
    }

    /** The problem with {@code secret} (null: there is none), the one {@code ref} names, if any. */
    public static Optional<SpecProblem> check(Secret secret, String namespace, StreamsSecretRef ref) {
        String field = "spec.streamsSecretRef";
        if (secret == null) {
            return Optional.of(new SpecProblem(SpecProblem.SECRET_NOT_FOUND, field,
                    "Secret \"" + ref.getName() + "\" not found in namespace \"" + namespace + "\""));
        }
        if (value(secret, ref).isEmpty()) {
            return Optional.of(new SpecProblem(SpecProblem.SECRET_NOT_FOUND, field,
                    "Secret \"" + ref.getName() + "\" has no key \"" + ref.keyOrDefault() + "\""));
        }
        if (ref.caKeyIfSet().isPresent()) {
            String caKey = ref.caKeyIfSet().get();
            Optional<String> pem = caCertificates(secret, ref);
            if (pem.isEmpty()) {
                return Optional.of(new SpecProblem(SpecProblem.SECRET_NOT_FOUND, field + ".caKey",
                        "Secret \"" + ref.getName() + "\" has no key \"" + caKey + "\" (the CA certificates)"));
            }
            if (!holdsCertificate(pem.get())) {
                return Optional.of(new SpecProblem(SpecProblem.SECRET_NOT_FOUND, field + ".caKey",
                        "key \"" + caKey + "\" of Secret \"" + ref.getName() + "\" holds no PEM certificate "
                                + "(expected -----BEGIN CERTIFICATE-----)"));
            }
        }
        return Optional.empty();
    }

    /** The streams URL the Secret holds under {@code ref}'s key. */
    public static Optional<String> value(Secret secret, StreamsSecretRef ref) {
        return text(secret, ref.keyOrDefault());
    }

    /** The PEM CA certificates the Secret holds under {@code ref}'s caKey; empty when it names none. */
    public static Optional<String> caCertificates(Secret secret, StreamsSecretRef ref) {
        return ref.caKeyIfSet().flatMap(key -> text(secret, key));
    }

    private static boolean holdsCertificate(String pem) {
        try {
            return !CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .isEmpty();
        } catch (CertificateException e) {
            return false;
        }
    }

    private static Optional<String> text(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
        }
        // Only a stored Secret that was never through an API server's conversion has stringData.
        return Optional.ofNullable(secret.getStringData()).map(data -> data.get(key));
    }
}
