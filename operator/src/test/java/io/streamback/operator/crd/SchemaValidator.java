package io.streamback.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a custom resource against a CRD's {@code openAPIV3Schema} the way the API server
 * does with {@code kubectl apply --validate=strict}: types, required fields, unknown fields,
 * minimum and maximum, lengths and item counts, patterns, enums, int-or-string and preserved
 * unknown fields.
 *
 * <p>CEL rules ({@code x-kubernetes-validations}) need a CEL interpreter; this validator knows the
 * forms the CRDs use ({@code has(self.a) != has(self.b)}, {@code has(self.a) == has(self.b)},
 * {@code !(has(self.a) && has(self.b))} and {@code !has(self.a) || !has(self.b) || self.a <= self.b}),
 * and refuses any other rather than skipping it silently.
 */
final class SchemaValidator {

    private static final Pattern PRESENCE = Pattern.compile("has\\(self\\.(\\w+)\\) (!=|==) has\\(self\\.(\\w+)\\)");
    private static final Pattern NOT_BOTH = Pattern.compile("!\\(has\\(self\\.(\\w+)\\) && has\\(self\\.(\\w+)\\)\\)");
    private static final Pattern AT_MOST = Pattern.compile(
            "!has\\(self\\.(\\w+)\\) \\|\\| !has\\(self\\.(\\w+)\\) \\|\\| self\\.(\\w+) <= self\\.(\\w+)");
    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private SchemaValidator() {
    }

    /** The problems of {@code resource} under {@code crd}, each as {@code path: what is wrong}; empty if valid. */
    static List<String> validate(CustomResourceDefinition crd, JsonNode resource) {
        List<String> problems = new ArrayList<>();
        String group = crd.getSpec().getGroup();
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().stream()
                .filter(v -> (group + "/" + v.getName()).equals(resource.path("apiVersion").asText()))
                .findFirst().orElse(null);
        if (version == null) {
            problems.add("apiVersion: " + resource.path("apiVersion") + " is not served by " + crd.getMetadata().getName());
            return problems;
        }
        if (!crd.getSpec().getNames().getKind().equals(resource.path("kind").asText())) {
            problems.add("kind: " + resource.path("kind") + " is not " + crd.getSpec().getNames().getKind());
        }
        if (resource.path("metadata").path("name").asText().isEmpty()) {
            problems.add("metadata.name: required");
        }
        JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            if (ROOT_FIELDS.contains(field.getKey())) {
                continue;
            }
            JSONSchemaProps property = schema.getProperties().get(field.getKey());
            if (property == null) {
                problems.add(field.getKey() + ": unknown field");
            } else {
                check(field.getValue(), property, field.getKey(), problems);
            }
        }
        for (String required : schema.getRequired()) {
            if (!resource.has(required)) {
                problems.add(required + ": required");
            }
        }
        return problems;
    }

    private static void check(JsonNode value, JSONSchemaProps schema, String path, List<String> problems) {
        if (value.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable())) {
                problems.add(path + ": null is not allowed");
            }
            return;
        }
        if (!schema.getAnyOf().isEmpty()) {
            boolean any = schema.getAnyOf().stream().anyMatch(branch -> {
                List<String> branchProblems = new ArrayList<>();
                check(value, branch, path, branchProblems);
                return branchProblems.isEmpty();
            });
            if (!any) {
                problems.add(path + ": matches none of " + schema.getAnyOf().size() + " allowed forms");
            }
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                problems.add(path + ": must be an integer or a string");
            }
            return;
        }
        if (schema.getType() != null && !hasType(value, schema.getType())) {
            problems.add(path + ": must be of type " + schema.getType() + ", not " + value.getNodeType());
            return;
        }
        if (!schema.getEnum().isEmpty() && !schema.getEnum().contains(value)) {
            problems.add(path + ": " + value + " is not one of " + schema.getEnum());
        }
        if (value.isTextual()) {
            checkString(value.asText(), schema, path, problems);
        }
        if (value.isNumber()) {
            checkNumber(value.asDouble(), schema, path, problems);
        }
        if (value.isArray()) {
            checkArray(value, schema, path, problems);
        }
        if (value.isObject()) {
            checkObject(value, schema, path, problems);
        }
        for (ValidationRule rule : schema.getXKubernetesValidations()) {
            checkRule(value, rule, path, problems);
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("unknown schema type " + type);
        };
    }

    private static void checkString(String value, JSONSchemaProps schema, String path, List<String> problems) {
        if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(value).find()) {
            problems.add(path + ": \"" + value + "\" does not match " + schema.getPattern());
        }
        if (schema.getMinLength() != null && value.length() < schema.getMinLength()) {
            problems.add(path + ": shorter than " + schema.getMinLength());
        }
        if (schema.getMaxLength() != null && value.length() > schema.getMaxLength()) {
            problems.add(path + ": longer than " + schema.getMaxLength());
        }
    }

    private static void checkNumber(double value, JSONSchemaProps schema, String path, List<String> problems) {
        if (schema.getMinimum() != null && (value < schema.getMinimum()
                || (Boolean.TRUE.equals(schema.getExclusiveMinimum()) && value == schema.getMinimum()))) {
            problems.add(path + ": " + value + " is below the minimum of " + schema.getMinimum());
        }
        if (schema.getMaximum() != null && (value > schema.getMaximum()
                || (Boolean.TRUE.equals(schema.getExclusiveMaximum()) && value == schema.getMaximum()))) {
            problems.add(path + ": " + value + " is above the maximum of " + schema.getMaximum());
        }
    }

    private static void checkArray(JsonNode value, JSONSchemaProps schema, String path, List<String> problems) {
        if (schema.getMinItems() != null && value.size() < schema.getMinItems()) {
            problems.add(path + ": fewer than " + schema.getMinItems() + " items");
        }
        if (schema.getMaxItems() != null && value.size() > schema.getMaxItems()) {
            problems.add(path + ": more than " + schema.getMaxItems() + " items");
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.getItems().getSchema(), path + "[" + i + "]", problems);
            }
        }
    }

    private static void checkObject(JsonNode value, JSONSchemaProps schema, String path, List<String> problems) {
        for (String required : schema.getRequired()) {
            if (!value.has(required)) {
                problems.add(path + "." + required + ": required");
            }
        }
        boolean preserveUnknown = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String fieldPath = path + "." + field.getKey();
            JSONSchemaProps property = schema.getProperties().get(field.getKey());
            if (property != null) {
                check(field.getValue(), property, fieldPath, problems);
            } else if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
                check(field.getValue(), schema.getAdditionalProperties().getSchema(), fieldPath, problems);
            } else if (!preserveUnknown && !(schema.getAdditionalProperties() != null
                    && Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows()))) {
                problems.add(fieldPath + ": unknown field");
            }
        }
    }

    private static void checkRule(JsonNode value, ValidationRule rule, String path, List<String> problems) {
        Matcher presence = PRESENCE.matcher(rule.getRule());
        Matcher notBoth = NOT_BOTH.matcher(rule.getRule());
        Matcher atMost = AT_MOST.matcher(rule.getRule());
        boolean holds;
        if (presence.matches()) {
            boolean same = value.has(presence.group(1)) == value.has(presence.group(3));
            holds = presence.group(2).equals("==") == same;
        } else if (notBoth.matches()) {
            holds = !(value.has(notBoth.group(1)) && value.has(notBoth.group(2)));
        } else if (atMost.matches() && atMost.group(1).equals(atMost.group(3))
                && atMost.group(2).equals(atMost.group(4))) {
            String low = atMost.group(1);
            String high = atMost.group(2);
            holds = !value.has(low) || !value.has(high) || value.get(low).asDouble() <= value.get(high).asDouble();
        } else {
            throw new IllegalStateException("SchemaValidator cannot evaluate the CEL rule \"" + rule.getRule()
                    + "\" at " + path + ": teach it, or the examples go unchecked");
        }
        if (!holds) {
            problems.add(path + ": " + rule.getMessage());
        }
    }
}
