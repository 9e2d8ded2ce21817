package io.streamback.operator.dependent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code app.kubernetes.io} labels of everything the operator creates. The selector labels
 * (name, instance, component) never change for a resource, so a Deployment's selector stays valid.
 */
public final class WorkerLabels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    public static final String APP_NAME = "streamback-worker";
    public static final String MANAGER = "streamback-operator";

    /** Component of a listener's Deployment and pods. */
    public static final String LISTENER = "listener";
    /** Component of a minute-granularity schedule's CronJob, Jobs and pods. */
    public static final String SCHEDULE = "schedule";
    /** Component of a seconds-granularity schedule's scheduler Deployment and pod. */
    public static final String SCHEDULER = "scheduler";

    private WorkerLabels() {
    }

    /** The labels that select the pods of one resource's component. */
    public static Map<String, String> selector(String instance, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, APP_NAME);
        labels.put(INSTANCE, instance);
        labels.put(COMPONENT, component);
        return labels;
    }

    /** Every label the operator puts on an object it creates. */
    public static Map<String, String> labels(String instance, String component) {
        Map<String, String> labels = selector(instance, component);
        labels.put(PART_OF, "streamback");
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }

    /** {@link #selector} as a label selector string, e.g. for a listener's {@code status.selector}. */
    public static String selectorString(String instance, String component) {
        return selector(instance, component).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
