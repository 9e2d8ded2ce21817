package io.streamback.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How many dedicated consumer workers a listener gets: a fixed number, or tiers by backlog.
 *
 * <pre>{@code
 * Concurrency.fixed(3)                   // 3 workers (0: the application's shared pool worker)
 * Concurrency.byLag()                    // as the Python library's [[0, 1], [1000, 2], [10000, 5]]:
 *     .tier(0, 1)                        // 1 worker while the group's unread records are under 1,000,
 *     .tier(1_000, 2)                    // 2 from 1,000,
 *     .tier(10_000, 5)                   // 5 from 10,000
 * }</pre>
 *
 * <p>With more than one tier the runtime reads the group's lag on the listener's topics every
 * {@link #checkInterval()} and adds or removes workers to match, never more than the topics have
 * partitions. A worker is removed only after it ran for {@link #minWorkerLifetime()} and the lag
 * asked for fewer workers throughout that time; it finishes its record, flushes and commits.
 *
 * @param tiers             lag thresholds, from 0 and strictly increasing, with their worker counts
 * @param checkInterval     how often the lag is read (1 s)
 * @param minWorkerLifetime how long a worker runs at least, and the lag must stay low, before it is removed (10 s)
 */
public record Concurrency(List<Tier> tiers, Duration checkInterval, Duration minWorkerLifetime) {
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MIN_WORKER_LIFETIME = Duration.ofSeconds(10);

    /**
     * From a lag (the group's unread records on the listener's topics) of {@code lag} on,
     * {@code workers} workers, until the next tier's lag.
     */
    public record Tier(long lag, int workers) {
        @Override
        public String toString() {
            return lag + ":" + workers;
        }
    }

    public Concurrency {
        tiers = List.copyOf(Objects.requireNonNull(tiers, "tiers"));
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            if (i == 0 && tier.lag() != 0) {
                throw new IllegalArgumentException("Concurrency tiers start at lag 0, but the first is at lag "
                        + tier.lag() + ": " + tiers);
            }
            if (i > 0 && tier.lag() <= tiers.get(i - 1).lag()) {
                throw new IllegalArgumentException("Concurrency tier lags must increase strictly, but "
                        + tier.lag() + " follows " + tiers.get(i - 1).lag() + ": " + tiers);
            }
            if (tier.workers() < (tiers.size() > 1 ? 1 : 0)) {
                throw new IllegalArgumentException("Concurrency tier " + tier + " has " + tier.workers()
                        + " workers; a tier needs at least 1: " + tiers);
            }
            if (i > 0 && tier.workers() < tiers.get(i - 1).workers()) {
                throw new IllegalArgumentException("Concurrency tier " + tier + " has fewer workers than the tier "
                        + "below it (" + tiers.get(i - 1) + "); workers must not decrease as the lag grows: " + tiers);
            }
        }
        checkInterval = positive(checkInterval, "checkInterval");
        minWorkerLifetime = positive(minWorkerLifetime, "minWorkerLifetime");
    }

    /** Always {@code workers} dedicated workers; 0 shares the application's pool worker. */
    public static Concurrency fixed(int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("concurrency must be 0 (shared worker) or more, got " + workers);
        }
        return new Concurrency(List.of(new Tier(0, workers)), DEFAULT_CHECK_INTERVAL, DEFAULT_MIN_WORKER_LIFETIME);
    }

    /** Tiers by lag, added with {@link #tier(long, int)}, the first at lag 0. */
    public static Concurrency byLag() {
        return new Concurrency(List.of(), DEFAULT_CHECK_INTERVAL, DEFAULT_MIN_WORKER_LIFETIME);
    }

    /**
     * Adds a tier: from a lag of {@code lag} records on, {@code workers} workers.
     *
     * @throws IllegalArgumentException when the first tier is not at lag 0, the lag is not above the
     *                                  previous tier's, or workers are under 1 or fewer than the previous tier's
     */
    public Concurrency tier(long lag, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("Concurrency tier " + lag + ":" + workers + " needs at least 1 worker");
        }
        List<Tier> more = new ArrayList<>(tiers);
        more.add(new Tier(lag, workers));
        return new Concurrency(more, checkInterval, minWorkerLifetime);
    }

    /** How often the lag is read (1 s, as in the Python library). */
    public Concurrency checkInterval(Duration interval) {
        return new Concurrency(tiers, interval, minWorkerLifetime);
    }

    /** How long a worker runs at least, and the lag must stay low, before it is removed (10 s, as in the Python library). */
    public Concurrency minWorkerLifetime(Duration lifetime) {
        return new Concurrency(tiers, checkInterval, lifetime);
    }

    /** Whether the workers follow the lag (more than one tier), rather than staying as many. */
    public boolean scalesByLag() {
        return tiers.size() > 1;
    }

    /** The workers at start: the first tier's (0 for a listener on the shared pool worker). */
    public int initialWorkers() {
        return tiers.isEmpty() ? 0 : tiers.get(0).workers();
    }

    /** The highest tier whose lag is at most {@code lag}. */
    public Tier tierFor(long lag) {
        if (tiers.isEmpty()) {
            throw new IllegalStateException("Concurrency.byLag() has no tier yet: add one with .tier(0, workers)");
        }
        Tier chosen = tiers.get(0);
        for (Tier tier : tiers) {
            if (tier.lag() <= lag) {
                chosen = tier;
            }
        }
        return chosen;
    }

    /**
     * Reads tiers written {@code "0:1, 1000:2, 10000:5"} (lag:workers), as in
     * {@code @Listen(concurrencyTiers = ...)}.
     *
     * @throws IllegalArgumentException naming the part that is not {@code lag:workers}, or what is wrong with the tiers
     */
    static Concurrency parse(String tiers) {
        Concurrency concurrency = byLag();
        for (String part : tiers.split(",")) {
            String[] fields = part.strip().split(":");
            try {
                if (fields.length != 2) {
                    throw new NumberFormatException();
                }
                concurrency = concurrency.tier(Long.parseLong(fields[0].strip().replace("_", "")),
                        Integer.parseInt(fields[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Concurrency tier '" + part.strip() + "' in \"" + tiers
                        + "\" is not lag:workers (e.g. \"0:1, 1000:2, 10000:5\")");
            }
        }
        return concurrency;
    }

    private static Duration positive(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("Concurrency " + what + " must be positive, got " + duration);
        }
        return duration;
    }
}
