package io.streamback.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much work each scenario does. {@link #full()} is what {@code docs/benchmarks.md} reports;
 * {@link #tiny()} only keeps the harness working (CI) and its figures mean nothing.
 *
 * @param jvmWarmupCalls      RPC calls (and as many one-way records) each side makes before any scenario, in two passes
 * @param rounds              runs per side and scenario, interleaved Streamback / baseline
 * @param rpcWarmup           sequential RPC calls per run before measuring
 * @param rpcCalls            measured sequential RPC calls per run
 * @param callers             concurrent RPC callers
 * @param concurrentCalls     measured RPC calls per run, spread over the callers
 * @param oneWayWarmup        one-way records per run before measuring
 * @param oneWayRecords       measured one-way records per run
 * @param streamWarmupReplies replies to the warm-up request of the streaming scenario
 * @param streamReplies       replies to the measured request
 * @param memoryWorkers       consumer worker counts whose RSS is measured (the first is the base)
 * @param memoryLoadRecords   records sent to a worker process to measure it under load
 * @param memorySettle        how long a worker process sits idle before its idle RSS is read
 */
public record Sizes(int jvmWarmupCalls, int rounds, int rpcWarmup, int rpcCalls, int callers, int concurrentCalls, int oneWayWarmup,
                    int oneWayRecords, int streamWarmupReplies, int streamReplies, List<Integer> memoryWorkers,
                    int memoryLoadRecords, Duration memorySettle) {

    public Sizes {
        memoryWorkers = List.copyOf(memoryWorkers);
        if (memoryWorkers.size() < 2 || memoryWorkers.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("memory workers: give at least two counts of 1 or more, e.g. 1,16");
        }
        if (jvmWarmupCalls < 0 || rounds < 1 || rpcCalls < 1 || callers < 1 || concurrentCalls < callers || oneWayRecords < 1
                || streamReplies < 1 || memoryLoadRecords < 1) {
            throw new IllegalArgumentException("sizes must be positive, and concurrent calls at least the callers: " + this);
        }
    }

    /**
     * The sizes, after a warm-up of 20,000 calls per side: 2,000 sequential calls, 64 callers, 200,000
     * one-way records, 10,000 replies, 1 and 16 workers; six rounds, as two left one slow round weigh too much.
     */
    public static Sizes full() {
        return new Sizes(20_000, 6, 500, 2_000, 64, 20_000, 20_000, 200_000, 1_000, 10_000,
                List.of(1, 16), 100_000, Duration.ofSeconds(5));
    }

    /** Just enough to exercise every code path in well under a minute. */
    public static Sizes tiny() {
        return new Sizes(40, 1, 20, 100, 64, 320, 200, 2_000, 50, 500,
                List.of(1, 4), 2_000, Duration.ofSeconds(1));
    }

    /** The largest worker count: the partitions of the memory scenario's topics. */
    public int maxMemoryWorkers() {
        return memoryWorkers.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
