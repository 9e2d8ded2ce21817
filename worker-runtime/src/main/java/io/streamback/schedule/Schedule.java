package io.streamback.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.internal.wire.WireFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * A message sent on a cron schedule: at every occurrence of {@code when}, {@code args} is sent
 * to topic {@code then}, as {@code streamback.send(then, args)} would.
 *
 * <pre>{@code
 * Schedule nightly = Schedule.named("nightly_report")
 *     .when("0 30 2 * * *")
 *     .then("build_report")
 *     .args(Map.of("kind", "daily"))
 *     .timeZone(ZoneId.of("Europe/Athens"))
 *     .build();
 * }</pre>
 *
 * @param name        unique per application: with the application name it identifies the schedule's
 *                    occurrences in Redis, across restarts and replicas
 * @param when        the cron expression
 * @param then        the topic (as named in code, before any topics prefix)
 * @param args        the message value
 * @param description what it is for, for people and logs
 * @param timeZone    whose wall clock {@code when} reads (UTC by default)
 */
public record Schedule(String name, CronExpression when, String then, JsonNode args, String description, ZoneId timeZone) {

    public Schedule {
        requireText(name, "name");
        Objects.requireNonNull(when, "when");
        requireText(then, "then");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(timeZone, "timeZone");
    }

    /** Starts a schedule; {@link Builder#when(String)} and {@link Builder#then(String)} are required. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** The first occurrence strictly after {@code instant}; empty if there is none left. */
    public Optional<Instant> nextAfter(Instant instant) {
        return when.nextAfter(instant, timeZone);
    }

    /** The last occurrence strictly before {@code instant}. */
    public Optional<Instant> lastBefore(Instant instant) {
        return when.lastBefore(instant, timeZone);
    }

    @Override
    public String toString() {
        return "'" + name + "' (" + when + (timeZone.equals(ZoneOffset.UTC) ? "" : " " + timeZone) + " -> " + then + ")";
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A schedule needs a " + what + ", got '" + value + "'");
        }
    }

    /** Collects a schedule's settings; {@link #build()} checks them. */
    public static final class Builder {
        private final String name;
        private String when;
        private String then;
        private Object args;
        private String description = "";
        private ZoneId timeZone = ZoneOffset.UTC;

        private Builder(String name) {
            this.name = name;
        }

        /** The cron expression: 6 fields, seconds first, or 5 fields at second 0 (see {@link CronExpression}). */
        public Builder when(String cronExpression) {
            this.when = cronExpression;
            return this;
        }

        /** The topic to send to. */
        public Builder then(String topic) {
            this.then = topic;
            return this;
        }

        /** The message value: anything Jackson can write (default: null). */
        public Builder args(Object value) {
            this.args = value;
            return this;
        }

        public Builder description(String text) {
            this.description = text == null ? "" : text;
            return this;
        }

        /** Whose wall clock the cron expression reads (default UTC). */
        public Builder timeZone(ZoneId zone) {
            this.timeZone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * @throws InvalidCronException     naming the schedule, the expression and the offending field
         * @throws IllegalArgumentException when the name or topic is missing, or args cannot be written as JSON
         */
        public Schedule build() {
            requireText(name, "name");
            CronExpression cron;
            try {
                cron = CronExpression.parse(when);
            } catch (InvalidCronException e) {
                throw e.inSchedule(name);
            }
            // kept for every occurrence: a copy, so that a JsonNode changed by the caller later does not change it
            return new Schedule(name, cron, then, WireFormat.toJson(args).deepCopy(), description, timeZone);
        }
    }
}
