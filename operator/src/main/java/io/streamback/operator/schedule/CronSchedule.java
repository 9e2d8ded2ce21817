package io.streamback.operator.schedule;

import io.streamback.schedule.CronExpression;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A schedule's {@code when}, parsed by the scheduler pods' own parser ({@link CronExpression}), so
 * that what the operator accepts, and the next run times it reports, are theirs.
 *
 * <ul>
 *   <li>Five fields (minute hour day-of-month month day-of-week), or a macro such as {@code @daily}:
 *       minute granularity, run by a CronJob.</li>
 *   <li>Six fields: seconds first, then the five above. When the seconds field is {@code 0} it is a
 *       minute-granularity schedule too; otherwise it needs the scheduler Deployment.</li>
 * </ul>
 *
 * @param expression      {@code when} as written
 * @param cronJobSchedule the CronJob {@code schedule} for a minute-granularity {@code when}; null otherwise
 * @param cron            the parsed expression (a macro's five fields), to compute occurrences
 */
public record CronSchedule(String expression, String cronJobSchedule, CronExpression cron) {

    /** The macros a CronJob understands, as the five fields they stand for. */
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    /** A Sunday at midnight, UTC: the start of the week {@link #kubernetesDaysOfWeek} looks at. */
    private static final ZonedDateTime SUNDAY = ZonedDateTime.of(2030, 1, 6, 0, 0, 0, 0, ZoneOffset.UTC);

    /**
     * Parses {@code when}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static CronSchedule parse(String when) {
        String expression = when == null ? "" : when.strip();
        if (expression.startsWith("@")) {
            String fields = MACROS.get(expression);
            if (fields == null) {
                throw new IllegalArgumentException("unknown macro \"" + expression + "\"; known: " + MACROS.keySet());
            }
            return new CronSchedule(expression, expression, CronExpression.parse(fields));
        }
        CronExpression cron = CronExpression.parse(when); // InvalidCronException is an IllegalArgumentException
        List<String> fields = Arrays.asList(expression.split("\\s+"));
        if (fields.size() == 6) {
            boolean onTheMinute = fields.get(0).equals("0");
            return new CronSchedule(expression, onTheMinute ? forKubernetes(fields.subList(1, 6)) : null, cron);
        }
        return new CronSchedule(expression, forKubernetes(fields), cron);
    }

    /** Whether a CronJob can run it: minute granularity. */
    public boolean runsAsCronJob() {
        return cronJobSchedule != null;
    }

    /** The first occurrence strictly after {@code instant}, on the wall clock of {@code zone}. */
    public Optional<Instant> nextAfter(Instant instant, ZoneId zone) {
        return cron.nextAfter(instant, zone);
    }

    /**
     * The five fields as a CronJob schedule. Kubernetes' cron knows Sunday only as 0, where ours
     * also takes 7: a day-of-week field that names 7 is written as the days it means.
     */
    private static String forKubernetes(List<String> fiveFields) {
        List<String> fields = new ArrayList<>(fiveFields);
        String daysOfWeek = fields.get(4);
        if (namesSeven(daysOfWeek)) {
            fields.set(4, kubernetesDaysOfWeek(daysOfWeek));
        }
        return String.join(" ", fields);
    }

    /** Whether 7 is a day in the field: a range bound or a value, not a step. */
    private static boolean namesSeven(String daysOfWeek) {
        return Arrays.stream(daysOfWeek.split(","))
                .map(part -> part.split("/")[0])
                .flatMap(range -> Arrays.stream(range.split("-")))
                .anyMatch(day -> day.equals("7"));
    }

    /** The days, 0 (Sunday) to 6, that {@code daysOfWeek} matches, as a list. */
    private static String kubernetesDaysOfWeek(String daysOfWeek) {
        CronExpression days = CronExpression.parse("0 0 * * " + daysOfWeek);
        return IntStream.range(0, 7)
                .filter(day -> {
                    Instant midnight = SUNDAY.plusDays(day).toInstant();
                    return days.nextAfter(midnight.minusSeconds(1), ZoneOffset.UTC).orElseThrow().equals(midnight);
                })
                .mapToObj(Integer::toString)
                .collect(Collectors.joining(","));
    }
}
