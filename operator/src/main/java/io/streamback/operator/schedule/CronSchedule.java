package io.streamback.operator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.streamback.schedule.CronExpression;
import io.streamback.schedule.InvalidCronException;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule's {@code when}, parsed.
 *
 * <ul>
 *   <li>Five fields (minute hour day-of-month month day-of-week), or a macro such as {@code @daily}:
 *       Unix cron, minute granularity, run by a CronJob.</li>
 *   <li>Six fields: seconds first, then the five above, checked with the very parser the scheduler
 *       pods run ({@link io.streamback.schedule.CronExpression}), so what the operator accepts they
 *       accept. When the seconds field is {@code 0} and the rest is plain Unix cron, it is a
 *       minute-granularity schedule too; otherwise it needs the scheduler Deployment.</li>
 * </ul>
 *
 * @param expression      {@code when} as written
 * @param cronJobSchedule the CronJob {@code schedule} for a minute-granularity {@code when}; null otherwise
 * @param cron            the parsed expression, to compute occurrences
 */
public record CronSchedule(String expression, String cronJobSchedule, Cron cron) {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    /** The macros a CronJob understands, as the five fields they stand for. */
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    /**
     * Parses {@code when}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static CronSchedule parse(String when) {
        if (when == null || when.isBlank()) {
            throw new IllegalArgumentException("a cron expression is required, e.g. \"0 3 * * *\"");
        }
        String expression = when.strip();
        if (expression.startsWith("@")) {
            String fields = MACROS.get(expression);
            if (fields == null) {
                throw new IllegalArgumentException("unknown macro \"" + expression + "\"; known: " + MACROS.keySet());
            }
            return new CronSchedule(expression, expression, UNIX.parse(fields));
        }
        String[] fields = expression.split("\\s+");
        if (fields.length == 5) {
            return new CronSchedule(expression, String.join(" ", fields), parse(UNIX, expression));
        }
        if (fields.length == 6) {
            checkWithSchedulerParser(expression);
            Cron cron = parse(WITH_SECONDS, expression);
            String minutes = String.join(" ", Arrays.copyOfRange(fields, 1, 6));
            boolean onTheMinute = fields[0].equals("0") && parsesAsUnix(minutes);
            return new CronSchedule(expression, onTheMinute ? minutes : null, cron);
        }
        throw new IllegalArgumentException("\"" + expression + "\" has " + fields.length + " fields; expected 5 "
                + "(minute hour day-of-month month day-of-week) or 6 (seconds first)");
    }

    /** Whether a CronJob can run it: minute granularity. */
    public boolean runsAsCronJob() {
        return cronJobSchedule != null;
    }

    /** The first occurrence strictly after {@code time}, in {@code time}'s zone. */
    public Optional<ZonedDateTime> nextAfter(ZonedDateTime time) {
        return ExecutionTime.forCron(cron).nextExecution(time);
    }

    private static Cron parse(CronParser parser, String expression) {
        try {
            return parser.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + expression + "\" is not a valid cron expression: "
                    + e.getMessage(), e);
        }
    }

    private static void checkWithSchedulerParser(String expression) {
        try {
            CronExpression.parse(expression);
        } catch (InvalidCronException e) {
            throw new IllegalArgumentException("\"" + expression + "\" is not a valid cron expression: "
                    + e.getMessage(), e);
        }
    }

    private static boolean parsesAsUnix(String expression) {
        try {
            UNIX.parse(expression).validate();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
