package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streamback.operator.crd.StreamsSecretRef;
import java.util.Optional;

/**
 * Checks that the Secret a resource takes its streams URL from exists and has the key. The
 * operator only looks: the value reaches the pods through a {@code secretKeyRef}.
 */
public final class StreamsSecrets {

    private StreamsSecrets() {
    }

    /** The problem with {@code ref} in {@code namespace}, if any. */
    public static Optional<SpecProblem> check(KubernetesClient client, String namespace, StreamsSecretRef ref) {
        String field = "spec.streamsSecretRef";
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null) {
            return Optional.of(new SpecProblem(SpecProblem.SECRET_NOT_FOUND, field,
                    "Secret \"" + ref.getName() + "\" not found in namespace \"" + namespace + "\""));
        }
        String key = ref.keyOrDefault();
        boolean hasKey = (secret.getData() != null && secret.getData().containsKey(key))
                || (secret.getStringData() != null && secret.getStringData().containsKey(key));
        if (!hasKey) {
            return Optional.of(new SpecProblem(SpecProblem.SECRET_NOT_FOUND, field,
                    "Secret \"" + ref.getName() + "\" has no key \"" + key + "\""));
        }
        return Optional.empty();
    }
}
