package io.streamback.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.streamback.operator.crd.StreambackListener;
import java.time.Duration;

/**
 * Makes the real API server refuse the status writes of listeners in one namespace, with a
 * ValidatingAdmissionPolicy: the way to see what the operator does when its status cannot be
 * stored.
 */
public final class StatusWrites {

    private static final String PROBE = "admission-probe";

    private StatusWrites() {
    }

    public static void denyIn(Cluster cluster, String namespace) {
        String name = "deny-listener-status-" + namespace;
        cluster.create(new ValidatingAdmissionPolicyBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withFailurePolicy("Fail")
                .withNewMatchConstraints()
                .addNewResourceRule()
                .withApiGroups("streamback.io").withApiVersions("*").withOperations("CREATE", "UPDATE")
                .withResources("streambacklisteners", "streambacklisteners/status")
                .endResourceRule()
                .endMatchConstraints()
                // Status writes are refused; so is the probe that tells when the policy is in force.
                .addNewValidation()
                .withExpression("(!has(request.subResource) || request.subResource == '')"
                        + " && object.metadata.name != '" + PROBE + "'")
                .withMessage("status writes are refused in this test")
                .endValidation()
                .endSpec()
                .build());
        cluster.create(new ValidatingAdmissionPolicyBindingBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withPolicyName(name)
                .withValidationActions("Deny")
                .withNewMatchResources()
                .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", namespace).endNamespaceSelector()
                .endMatchResources()
                .endSpec()
                .build());
        StreambackListener probe = TestResources.listener(namespace, PROBE, "probe");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                cluster.client().resource(probe).dryRun().create();
                return false;
            } catch (KubernetesClientException refused) {
                return refused.getCode() == 422 || refused.getCode() == 403;
            }
        });
    }
}
