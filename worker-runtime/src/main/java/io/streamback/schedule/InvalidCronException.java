package io.streamback.schedule;

import java.util.Optional;

/** A cron expression that cannot be used; the message names the expression and, when one is to blame, the field. */
public final class InvalidCronException extends IllegalArgumentException {
    private final String expression;
    private final String field;

    InvalidCronException(String message, String expression, String field) {
        super(message);
        this.expression = expression;
        this.field = field;
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** The field at fault ({@code second}, {@code minute}, ... {@code day-of-week}); empty when the whole expression is. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The same error, its message prefixed with the schedule it was given for. */
    InvalidCronException inSchedule(String scheduleName) {
        return new InvalidCronException("Schedule '" + scheduleName + "': " + getMessage(), expression, field);
    }
}
