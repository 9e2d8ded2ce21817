package io.streamback.operator.common;

import io.streamback.operator.crd.ConditionedStatus;
import io.streamback.operator.crd.StatusCondition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;

/**
 * Sets {@code status.conditions} the Kubernetes way: one entry per type, and
 * {@code lastTransitionTime} moves only when the status does. Ready and Degraded come first, the
 * others by name, so the list does not change order between reconciliations.
 */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";

    public static final String TRUE = "True";
    public static final String FALSE = "False";

    /** Degraded=False's reason when nothing is wrong. */
    public static final String AS_EXPECTED = "AsExpected";

    private Conditions() {
    }

    /**
     * Sets the condition of {@code type}, replacing the previous one of that type.
     *
     * @param generation the resource's {@code metadata.generation} the condition reflects
     * @param now        the time to record if the status changes
     */
    public static void set(ConditionedStatus status, String type, boolean value, String reason, String message,
                           Long generation, Instant now) {
        String newStatus = value ? TRUE : FALSE;
        Optional<StatusCondition> previous = get(status, type);
        String transitionTime = previous
                .filter(c -> newStatus.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(StatusCondition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        status.getConditions().removeIf(c -> type.equals(c.getType()));
        status.getConditions().add(new StatusCondition(type, newStatus, reason, message, transitionTime, generation));
        status.getConditions().sort(Comparator.comparingInt((StatusCondition c) -> order(c.getType()))
                .thenComparing(StatusCondition::getType));
    }

    /** Removes the condition of {@code type}, if there is one. */
    public static void remove(ConditionedStatus status, String type) {
        status.getConditions().removeIf(c -> type.equals(c.getType()));
    }

    public static Optional<StatusCondition> get(ConditionedStatus status, String type) {
        return status == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Whether {@code status} has the condition {@code type} set to True. */
    public static boolean isTrue(ConditionedStatus status, String type) {
        return get(status, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    private static int order(String type) {
        return READY.equals(type) ? 0 : DEGRADED.equals(type) ? 1 : 2;
    }
}
