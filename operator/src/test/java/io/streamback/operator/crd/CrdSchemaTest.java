package io.streamback.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the checked-in CRDs promise: subresources, columns, names, descriptions and validation. */
class CrdSchemaTest {

    /** Fields typed with Kubernetes' own models: their insides carry no descriptions of ours. */
    static final Set<String> KUBERNETES_TYPES = Set.of("resources", "env", "affinity", "tolerations",
            "topologySpreadConstraints", "imagePullSecrets");

    static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        return crd.getSpec().getVersions().get(0);
    }

    static JSONSchemaProps spec(CustomResourceDefinition crd) {
        return version(crd).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    @Test
    void listenerCrd() {
        CustomResourceDefinition crd = CrdFiles.load(StreambackListener.class);
        assertThat(crd.getMetadata().getName()).isEqualTo("streambacklisteners.streamback.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getShortNames()).contains("sbl");
        CustomResourceDefinitionVersion version = version(crd);
        assertThat(version.getName()).isEqualTo("v1alpha1");
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.concurrency");
        assertThat(version.getSubresources().getScale().getStatusReplicasPath()).isEqualTo(".status.replicas");
        assertThat(version.getSubresources().getScale().getLabelSelectorPath()).isEqualTo(".status.selector");
        assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Concurrency", "Ready", "Status", "Reason", "Lag", "Desired", "Topics", "Image", "Age");

        JSONSchemaProps spec = spec(crd);
        assertThat(spec.getRequired()).containsExactly("topics");
        assertThat(spec.getProperties().get("topics").getMinItems()).isEqualTo(1L);
        assertThat(spec.getProperties().get("topics").getItems().getSchema().getPattern()).isNotBlank();
        assertThat(spec.getProperties().get("concurrency").getMinimum()).isEqualTo(0.0);
        assertThat(spec.getProperties().get("autoRestart").getProperties().get("maxSeconds").getMinimum())
                .isEqualTo(60.0);
        assertThat(spec.getProperties().get("imagePullPolicy").getEnum()).hasSize(3);
        assertThat(spec.getProperties().get("streamsSecretRef").getRequired()).containsExactly("name");
        assertThat(spec.getProperties().get("concurrency").getDefault())
                .as("the scale subresource reads spec.concurrency: it is always there").hasToString("1");
        assertThat(spec.getXKubernetesValidations()).extracting(rule -> rule.getRule()).containsExactly(
                "has(self.streams) != has(self.streamsSecretRef)",
                "!has(self.autoscaling) || self.concurrency == 1");

        JSONSchemaProps autoscaling = spec.getProperties().get("autoscaling");
        assertThat(autoscaling.getXKubernetesValidations()).extracting(rule -> rule.getRule()).containsExactly(
                "has(self.tiers) != has(self.lagPerReplica)",
                "has(self.lagPerReplica) == has(self.maxReplicas)",
                "!(has(self.tiers) && has(self.minReplicas))",
                "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas");
        assertThat(autoscaling.getProperties()).allSatisfy((name, field) -> assertThat(field.getDefault())
                .as("%s: the CEL rules test presence, a default would defeat them", name).isNull());
        assertThat(autoscaling.getProperties().get("pollIntervalSeconds").getMinimum()).isEqualTo(1.0);
        assertThat(autoscaling.getProperties().get("lagPerReplica").getMinimum()).isEqualTo(1.0);
        JSONSchemaProps tier = autoscaling.getProperties().get("tiers").getItems().getSchema();
        assertThat(tier.getRequired()).containsExactlyInAnyOrder("lag", "replicas");
        assertThat(autoscaling.getProperties().get("tiers").getMaxItems()).isEqualTo(20L);

        JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties()).containsKeys("lag", "desiredReplicas", "scaleDownPendingSince");
        assertThat(undescribed(crd)).isEmpty();
    }

    @Test
    void scheduleCrd() {
        CustomResourceDefinition crd = CrdFiles.load(StreambackSchedule.class);
        assertThat(crd.getMetadata().getName()).isEqualTo("streambackschedules.streamback.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getShortNames()).contains("sbs");
        CustomResourceDefinitionVersion version = version(crd);
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("When", "Then", "Suspend", "Runs As", "Status", "Next", "Last", "Reason", "Age");

        JSONSchemaProps spec = spec(crd);
        assertThat(spec.getRequired()).containsExactlyInAnyOrder("when", "then");
        assertThat(spec.getProperties().get("when").getPattern()).isEqualTo(StreambackScheduleSpec.WHEN_PATTERN);
        assertThat(spec.getProperties().get("args").getXKubernetesPreserveUnknownFields()).isTrue();
        assertThat(spec.getProperties().get("args").getType()).isEqualTo("object");
        assertThat(undescribed(crd)).isEmpty();
    }

    /** Paths of the CRD's own fields that have no description. */
    static List<String> undescribed(CustomResourceDefinition crd) {
        List<String> missing = new ArrayList<>();
        Map<String, JSONSchemaProps> root = version(crd).getSchema().getOpenAPIV3Schema().getProperties();
        for (String top : List.of("spec", "status")) {
            collectUndescribed(root.get(top).getProperties(), top, missing);
        }
        return missing;
    }

    private static void collectUndescribed(Map<String, JSONSchemaProps> properties, String path, List<String> missing) {
        properties.forEach((name, schema) -> {
            String fieldPath = path + "." + name;
            if (schema.getDescription() == null || schema.getDescription().isBlank()) {
                missing.add(fieldPath);
            }
            if (KUBERNETES_TYPES.contains(name)) {
                return;
            }
            collectUndescribed(schema.getProperties(), fieldPath, missing);
            if (schema.getItems() != null && schema.getItems().getSchema() != null) {
                collectUndescribed(schema.getItems().getSchema().getProperties(), fieldPath + "[]", missing);
            }
        });
    }
}
