package io.streamback.callback;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recycles the consumer workers (flush, commit, close, then fresh listener instances and
 * consumers) every {@code maxAge}, and when the process's resident memory exceeds
 * {@code maxMemoryMb}. If memory stays above the limit after a recycle, it stops Streamback
 * with {@link MemoryLimitExceededException}: {@code start()} throws it, and the worker process
 * exits with code {@value MemoryLimitExceededException#EXIT_CODE} so that its supervisor
 * (Kubernetes) starts a fresh one.
 *
 * <pre>{@code
 * streamback.addCallback(new AutoRestart(Duration.ofHours(1), 512));
 * }</pre>
 */
public class AutoRestart implements Callback {
    private static final Logger log = LoggerFactory.getLogger(AutoRestart.class);

    private final Duration maxAge;
    private final long maxMemoryBytes;
    private long lastRecycleNanos = System.nanoTime();
    private boolean recycledForMemory;

    /**
     * @param maxAge      recycle this often; null: never on age
     * @param maxMemoryMb recycle above this resident memory; 0: no memory limit
     */
    public AutoRestart(Duration maxAge, long maxMemoryMb) {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("AutoRestart maxAge must be positive, got " + maxAge);
        }
        if (maxMemoryMb < 0) {
            throw new IllegalArgumentException("AutoRestart maxMemoryMb must be 0 (off) or more, got " + maxMemoryMb);
        }
        this.maxAge = maxAge;
        this.maxMemoryBytes = maxMemoryMb << 20;
    }

    @Override
    public void onTick(RunningStreamback streamback) {
        long rss = maxMemoryBytes > 0 ? ProcessMemory.rssBytes() : -1;
        if (rss > maxMemoryBytes && maxMemoryBytes > 0) {
            if (recycledForMemory) {
                log.error("Resident memory {} MB is still above the limit of {} MB after a recycle; stopping",
                        rss >> 20, maxMemoryBytes >> 20);
                streamback.closeExceptionally(new MemoryLimitExceededException(rss >> 20, maxMemoryBytes >> 20));
                return;
            }
            log.warn("Resident memory {} MB is above the limit of {} MB; recycling the workers",
                    rss >> 20, maxMemoryBytes >> 20);
            recycle(streamback);
            recycledForMemory = true;
            return;
        }
        recycledForMemory = false;
        if (maxAge != null && System.nanoTime() - lastRecycleNanos >= maxAge.toNanos()) {
            log.info("Workers are {} s old; recycling them", maxAge.toSeconds());
            recycle(streamback);
        }
    }

    private void recycle(RunningStreamback streamback) {
        streamback.recycleWorkers();
        System.gc();
        lastRecycleNanos = System.nanoTime();
    }
}
