package io.streamback.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A resource's {@code spec.podTemplate} under the pod template the operator makes: the user's
 * template supplies the fields the operator does not model (host network, volumes, sidecars, ...),
 * and every field the operator sets wins. Objects merge field by field; lists whose items all have a
 * {@code name} (containers, env, volumes, volumeMounts, ports, ...) merge item by item, the
 * operator's items first; any other list is the operator's when it sets one, else the user's.
 */
public final class PodTemplateOverlay {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private PodTemplateOverlay() {
    }

    /** The operator's template laid over {@code overlay}; the operator's template alone when there is none. */
    public static PodTemplateSpec apply(ObjectNode overlay, PodTemplateSpec operators) {
        if (overlay == null || overlay.isEmpty()) {
            return operators;
        }
        ObjectNode merged = merge(overlay, SERIALIZATION.convertValue(operators, ObjectNode.class));
        return SERIALIZATION.convertValue(merged, PodTemplateSpec.class);
    }

    /** Why {@code overlay} is not a pod template, if it is not: for a condition naming spec.podTemplate. */
    public static Optional<String> problem(ObjectNode overlay) {
        if (overlay == null) {
            return Optional.empty();
        }
        try {
            SERIALIZATION.convertValue(overlay, PodTemplateSpec.class);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("not a pod template (metadata and spec of a Kubernetes PodTemplateSpec): "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static ObjectNode merge(ObjectNode under, ObjectNode over) {
        ObjectNode merged = under.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode mine = merged.get(field.getKey());
            merged.set(field.getKey(), merge(mine, field.getValue()));
        }
        return merged;
    }

    private static JsonNode merge(JsonNode under, JsonNode over) {
        if (under instanceof ObjectNode underObject && over instanceof ObjectNode overObject) {
            return merge(underObject, overObject);
        }
        if (under instanceof ArrayNode underArray && over instanceof ArrayNode overArray
                && named(underArray) && named(overArray)) {
            return mergeByName(underArray, overArray);
        }
        return over == null || over.isNull() ? under : over;
    }

    private static boolean named(ArrayNode items) {
        for (JsonNode item : items) {
            if (!item.isObject() || !item.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static ArrayNode mergeByName(ArrayNode under, ArrayNode over) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode item : over) {
            byName.put(item.get("name").asText(), item);
        }
        for (JsonNode item : under) {
            byName.merge(item.get("name").asText(), item, (operators, users) -> merge(users, operators));
        }
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        byName.values().forEach(merged::add);
        return merged;
    }
}
