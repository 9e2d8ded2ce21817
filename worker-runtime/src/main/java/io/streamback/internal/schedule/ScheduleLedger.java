package io.streamback.internal.schedule;

import io.streamback.internal.redis.FeedbackStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an application's schedules have done, kept in its feedback stream's Redis where every
 * replica and every restart sees it. Two keys per schedule and application (group):
 * <ul>
 *   <li>{@code streamback:schedule:GROUP:SCHEDULE:EPOCH_SECOND}: the claim on one occurrence, set
 *       with SET NX and an expiry; the one replica whose SET succeeds sends the message. Its value
 *       says which process claimed it ({@code pid@host}), for whoever investigates.</li>
 *   <li>{@code streamback:schedule:GROUP:SCHEDULE:last}: the epoch second of the last occurrence
 *       handled (sent, claimed by another replica, or skipped as too late); where a restarted
 *       application takes up missed occurrences. It does not expire: delete it with a schedule
 *       that is gone for good.</li>
 * </ul>
 */
public final class ScheduleLedger {
    private static final String PREFIX = "streamback:schedule:";
    private static final String CLAIMANT = ManagementFactory.getRuntimeMXBean().getName();

    private final FeedbackStore redis;
    private final String group;

    /** @param group the application name: schedules of different applications never share occurrences */
    public ScheduleLedger(FeedbackStore redis, String group) {
        this.redis = redis;
        this.group = group;
    }

    /** The application whose schedules this ledger keeps. */
    public String group() {
        return group;
    }

    /** The Redis key of the claim on one occurrence of a schedule. */
    public static String claimKey(String group, String schedule, Instant occurrence) {
        return PREFIX + group + ":" + schedule + ":" + occurrence.getEpochSecond();
    }

    /** The Redis key of a schedule's last handled occurrence. */
    public static String lastHandledKey(String group, String schedule) {
        return PREFIX + group + ":" + schedule + ":last";
    }

    /**
     * Claims one occurrence for this process, atomically: true for exactly one caller, whatever
     * the number of replicas, for as long as the claim lives.
     */
    boolean claim(String schedule, Instant occurrence, Duration ttl) {
        return redis.setIfAbsent(claimKey(group, schedule, occurrence), CLAIMANT, ttl);
    }

    /** The last occurrence of {@code schedule} handled by any replica; empty if it never ran. */
    Optional<Instant> lastHandled(String schedule) {
        String key = lastHandledKey(group, schedule);
        return redis.get(key).map(value -> {
            try {
                return Instant.ofEpochSecond(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Redis key " + key + " should hold an epoch second, not '" + value + "'", e);
            }
        });
    }

    /**
     * Records that occurrences up to {@code occurrence} are handled. Replicas write it in turn, so
     * it may briefly step back by an occurrence or two; harmless, because the claims still say
     * which occurrences fired.
     */
    void handledUpTo(String schedule, Instant occurrence) {
        redis.set(lastHandledKey(group, schedule), Long.toString(occurrence.getEpochSecond()));
    }
}
