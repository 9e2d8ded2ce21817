package io.streamback.internal.runtime;

import io.streamback.internal.kafka.ConsumerLag;
import io.streamback.internal.metrics.ListenerMetrics;
import io.streamback.listener.Concurrency;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes the dedicated workers of listeners whose {@link Concurrency} has tiers: every check
 * interval it reads the group's {@link ConsumerLag} on the listener's topics and picks the tier.
 *
 * <p>Workers are added at once, at most one per partition of the topics. They are removed only
 * when every reading over the last minimum lifetime asked for fewer (so a lag that dips for a
 * moment removes none), and only those that have run at least that long. A lag that can't be
 * read keeps the workers as they are.
 */
final class LagScaler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LagScaler.class);

    /** The dedicated workers of one listener, as the scaler sizes them. */
    interface Workers {
        String listener();

        Set<String> topics();

        Concurrency concurrency();

        int size();

        /** Starts {@code count} more workers. */
        void add(int count);

        /** Stops, gracefully, up to {@code count} workers that have run at least {@code minLifetime}; returns how many. */
        int remove(int count, Duration minLifetime);
    }

    /** What one check read: the lag and the partitions it is spread over. */
    record Backlog(long lag, int partitions) {
    }

    private record Reading(long nanos, int workers) {
    }

    private final String group;
    private final Supplier<Admin> admin;
    private final Duration timeout;
    private final ListenerMetrics metrics;
    private final ScheduledExecutorService executor;

    LagScaler(String group, Supplier<Admin> admin, Duration timeout, ListenerMetrics metrics) {
        this.group = group;
        this.admin = admin;
        this.timeout = timeout;
        this.metrics = metrics;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streamback-" + group + "-scaler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Checks {@code workers} every check interval of their concurrency until closed. */
    void watch(Workers workers) {
        Check check = new Check(workers);
        metrics.scaling(workers.listener(), () -> check.lastLag, workers::size);
        long interval = workers.concurrency().checkInterval().toNanos();
        executor.scheduleWithFixedDelay(check, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** Stops checking; an admin call in progress is interrupted. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** The group's unread records on {@code topics}, and how many partitions they have. */
    Backlog backlog(Collection<String> topics) throws ExecutionException, InterruptedException, TimeoutException {
        // Topics not created yet (consumers create them on first subscription) have nothing to read.
        ConsumerLag lag = ConsumerLag.read(admin.get(), group, topics, timeout);
        return new Backlog(lag.total(), lag.partitions().size());
    }

    /** One listener's periodic check, on the scaler thread. */
    private final class Check implements Runnable {
        private final Workers workers;
        private final Deque<Reading> readings = new ArrayDeque<>();
        private volatile double lastLag = Double.NaN;
        private boolean failing;

        Check(Workers workers) {
            this.workers = workers;
        }

        @Override
        public void run() {
            Backlog backlog;
            try {
                backlog = backlog(workers.topics());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | KafkaException e) {
                unreadable(e instanceof ExecutionException ? e.getCause() : e);
                return;
            } catch (RuntimeException e) {
                // Never let an exception cancel the schedule: scaling would stop for good.
                unreadable(e);
                return;
            }
            if (failing) {
                failing = false;
                log.info("Listener {}: lag readable again", workers.listener());
            }
            lastLag = backlog.lag();
            if (backlog.partitions() > 0) {
                resize(backlog);
            }
        }

        private void resize(Backlog backlog) {
            Concurrency concurrency = workers.concurrency();
            Concurrency.Tier tier = concurrency.tierFor(backlog.lag());
            int wanted = Math.min(tier.workers(), backlog.partitions());
            long now = System.nanoTime();
            readings.addLast(new Reading(now, wanted));
            long window = concurrency.minWorkerLifetime().toNanos();
            while (now - readings.peekFirst().nanos() > window) {
                readings.removeFirst();
            }
            int current = workers.size();
            int changed = 0;
            if (wanted > current) {
                workers.add(wanted - current);
                changed = wanted - current;
            } else {
                int stillWanted = readings.stream().mapToInt(Reading::workers).max().orElse(wanted);
                if (stillWanted < current) {
                    changed = -workers.remove(current - stillWanted, concurrency.minWorkerLifetime());
                }
            }
            if (changed != 0) {
                int size = current + changed;
                String why = "tier >= " + number(tier.lag());
                if (tier.workers() > backlog.partitions()) {
                    why += " asks " + tier.workers() + "; " + backlog.partitions() + " partitions";
                } else if (size > wanted) {
                    why += " asks " + tier.workers() + "; the rest wait out the "
                            + seconds(concurrency.minWorkerLifetime()) + " s minimum lifetime";
                }
                log.info("Listener {}: lag {} -> {} ({})", workers.listener(), number(backlog.lag()),
                        size == 1 ? "1 worker" : size + " workers", why);
            }
        }

        private void unreadable(Throwable error) {
            if (executor.isShutdown()) {
                return;
            }
            lastLag = Double.NaN;
            if (!failing) {
                failing = true;
                log.warn("Listener {}: cannot read the lag of group {} on {}; its workers stay {} until it can: {}",
                        workers.listener(), group, List.copyOf(workers.topics()), workers.size(), error.toString());
            } else {
                log.debug("Listener {}: lag still unreadable: {}", workers.listener(), error.toString());
            }
        }
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
