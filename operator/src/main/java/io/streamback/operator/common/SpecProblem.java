package io.streamback.operator.common;

/**
 * Something wrong with a resource's spec, found before anything is created from it.
 *
 * @param reason  the condition reason, e.g. {@code InvalidSpec}
 * @param field   the field at fault, e.g. {@code spec.when}
 * @param message what is wrong with it
 */
public record SpecProblem(String reason, String field, String message) {

    /** The reason for a spec that can never work as written. */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** The reason for a streams Secret that is missing or lacks its key: it may appear later. */
    public static final String SECRET_NOT_FOUND = "SecretNotFound";

    public static SpecProblem invalid(String field, String message) {
        return new SpecProblem(INVALID_SPEC, field, message);
    }

    /** The message written to the condition and the Event: {@code field: message}. */
    public String describe() {
        return field + ": " + message;
    }

    /** Whether the problem may go away without the spec changing (a Secret created later). */
    public boolean mayResolveItself() {
        return SECRET_NOT_FOUND.equals(reason);
    }
}
