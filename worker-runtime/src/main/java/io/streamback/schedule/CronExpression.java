package io.streamback.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression with the semantics of standard (Vixie) cron, in one of two forms:
 * <ul>
 *   <li>6 fields, seconds first: {@code SECOND MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK},
 *       e.g. {@code *}{@code /30 * * * * *} for every 30 seconds;</li>
 *   <li>5 fields, the classic crontab line: {@code MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK},
 *       at second 0.</li>
 * </ul>
 * Each field takes {@code *}, numbers, lists {@code 1,15}, ranges {@code 1-5} and steps
 * {@code *}{@code /10} or {@code 0-30/10}. Months are 1-12 or JAN-DEC; days of week 0-7 or
 * SUN-SAT, where both 0 and 7 mean Sunday. When both day of month and day of week are
 * restricted, a day matching either one fires, as in cron.
 */
public final class CronExpression {
    private static final List<String> FIELDS = List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");
    private static final CronParser PARSER = new CronParser(sixFieldCron());

    private final String expression;
    private final ExecutionTime executionTime;

    private CronExpression(String expression, ExecutionTime executionTime) {
        this.expression = expression;
        this.executionTime = executionTime;
    }

    /**
     * Parses a 6-field (seconds first) or 5-field cron expression.
     *
     * @throws InvalidCronException naming the expression and the offending field, or saying that
     *                              the expression never matches (e.g. 31 February)
     */
    public static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidCronException("Invalid cron expression '" + expression + "': it is empty", expression, null);
        }
        List<String> fields = Arrays.asList(expression.strip().split("\\s+"));
        if (fields.size() != 5 && fields.size() != 6) {
            throw new InvalidCronException("Invalid cron expression '" + expression + "': it has " + fields.size()
                    + " fields; expected 6 (" + String.join(" ", FIELDS) + ") or 5 (no seconds: "
                    + String.join(" ", FIELDS.subList(1, 6)) + ")", expression, null);
        }
        List<String> sixFields = new ArrayList<>(fields);
        if (sixFields.size() == 5) {
            sixFields.add(0, "0");
        }
        Cron cron;
        try {
            cron = PARSER.parse(String.join(" ", sixFields));
        } catch (IllegalArgumentException e) {
            throw blame(expression, sixFields, e);
        }
        CronExpression parsed = new CronExpression(expression.strip(), ExecutionTime.forCron(cron));
        if (parsed.nextAfter(Instant.now(), ZoneOffset.UTC).isEmpty()) {
            throw new InvalidCronException("Invalid cron expression '" + expression + "': it never matches a date",
                    expression, null);
        }
        return parsed;
    }

    /** The expression as written. */
    public String expression() {
        return expression;
    }

    /** The first time the expression matches strictly after {@code instant}, on the wall clock of {@code zone}. */
    public Optional<Instant> nextAfter(Instant instant, ZoneId zone) {
        // Occurrences are whole seconds; cron-utils would otherwise carry the fraction into the result.
        ZonedDateTime from = instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone);
        return executionTime.nextExecution(from).map(ZonedDateTime::toInstant);
    }

    /** The last time the expression matches strictly before {@code instant}, on the wall clock of {@code zone}. */
    public Optional<Instant> lastBefore(Instant instant, ZoneId zone) {
        Instant wholeSecond = instant.truncatedTo(ChronoUnit.SECONDS);
        Instant ceiling = wholeSecond.isBefore(instant) ? wholeSecond.plusSeconds(1) : wholeSecond;
        return executionTime.lastExecution(ceiling.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    @Override
    public String toString() {
        return expression;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronExpression cron && cron.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    /**
     * cron-utils says what is wrong but not where: find the first field that fails on its own,
     * with every other field a wildcard.
     */
    private static InvalidCronException blame(String expression, List<String> sixFields, IllegalArgumentException error) {
        for (int i = 0; i < sixFields.size(); i++) {
            List<String> alone = new ArrayList<>(Collections.nCopies(sixFields.size(), "*"));
            alone.set(i, sixFields.get(i));
            try {
                PARSER.parse(String.join(" ", alone));
            } catch (IllegalArgumentException fieldError) {
                return new InvalidCronException("Invalid cron expression '" + expression + "': the " + FIELDS.get(i)
                        + " field '" + sixFields.get(i) + "' is invalid: " + problem(fieldError), expression, FIELDS.get(i));
            }
        }
        return new InvalidCronException("Invalid cron expression '" + expression + "': " + problem(error), expression, null);
    }

    private static String problem(IllegalArgumentException error) {
        return String.valueOf(error.getMessage()).replace("Failed to parse cron expression. ", "");
    }

    /** Standard cron plus a leading seconds field; Sunday is 0 or 7. */
    private static CronDefinition sixFieldCron() {
        return CronDefinitionBuilder.defineCron()
                .withSeconds().withValidRange(0, 59).withStrictRange().and()
                .withMinutes().withValidRange(0, 59).withStrictRange().and()
                .withHours().withValidRange(0, 23).withStrictRange().and()
                .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
                .withMonth().withValidRange(1, 12).withStrictRange().and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
                .instance();
    }
}
