package io.streamback.callback;

import io.streamback.listener.Context;
import io.streamback.listener.Message;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports, every {@code interval}, the process's memory (resident and heap) and, per listener,
 * how many records it handled and failed and how long it took. By default the report is
 * logged; override {@link #onStats(Stats)} to ship it elsewhere.
 *
 * <pre>{@code
 * streamback.addCallback(new ListenerStats(Duration.ofSeconds(10)));
 * }</pre>
 */
public class ListenerStats implements Callback {
    private static final Logger log = LoggerFactory.getLogger(ListenerStats.class);

    /** One report. Latencies cover the records handled since the previous report. */
    public record Stats(Instant at, long rssBytes, long heapUsedBytes, long heapMaxBytes,
                        Map<String, ListenerCounts> listeners) {
    }

    /**
     * @param consumed    records handled since start
     * @param failed      records failed since start (after retries)
     * @param meanLatency mean handling time over the last interval (zero when none)
     * @param maxLatency  longest handling time over the last interval
     */
    public record ListenerCounts(long consumed, long failed, Duration meanLatency, Duration maxLatency) {
    }

    private static final class Counters {
        final AtomicLong consumed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong intervalCount = new AtomicLong();
        final AtomicLong intervalNanos = new AtomicLong();
        final LongAccumulator intervalMaxNanos = new LongAccumulator(Math::max, 0);
    }

    private final Duration interval;
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final ThreadLocal<Long> began = new ThreadLocal<>();
    private volatile long lastReportNanos = System.nanoTime();

    public ListenerStats(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("ListenerStats interval must be positive, got " + interval);
        }
        this.interval = interval;
    }

    @Override
    public void onConsumeBegin(Context context, Message message) {
        began.set(System.nanoTime());
    }

    @Override
    public void onConsumeEnd(Context context, Message message, Exception exception) {
        Long start = began.get();
        long elapsed = start == null ? 0 : System.nanoTime() - start;
        Counters listener = counters.computeIfAbsent(context.listenerName(), name -> new Counters());
        listener.consumed.incrementAndGet();
        if (exception != null) {
            listener.failed.incrementAndGet();
        }
        listener.intervalCount.incrementAndGet();
        listener.intervalNanos.addAndGet(elapsed);
        listener.intervalMaxNanos.accumulate(elapsed);
    }

    @Override
    public void onTick(RunningStreamback streamback) {
        long now = System.nanoTime();
        if (now - lastReportNanos >= interval.toNanos()) {
            lastReportNanos = now;
            onStats(snapshot());
        }
    }

    /** Takes a report now and starts a new latency interval. */
    public Stats snapshot() {
        Map<String, ListenerCounts> listeners = new TreeMap<>();
        counters.forEach((name, c) -> {
            long count = c.intervalCount.getAndSet(0);
            long nanos = c.intervalNanos.getAndSet(0);
            long max = c.intervalMaxNanos.getThenReset();
            listeners.put(name, new ListenerCounts(c.consumed.get(), c.failed.get(),
                    Duration.ofNanos(count == 0 ? 0 : nanos / count), Duration.ofNanos(max)));
        });
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Stats(Instant.now(), ProcessMemory.rssBytes(), heap.getUsed(), heap.getMax(), listeners);
    }

    /** Called with every report; logs it unless overridden. */
    protected void onStats(Stats stats) {
        log.info("Stats: rss {} MB, heap {} of {} MB, listeners {}", stats.rssBytes() >> 20,
                stats.heapUsedBytes() >> 20, stats.heapMaxBytes() >> 20, stats.listeners());
    }
}
