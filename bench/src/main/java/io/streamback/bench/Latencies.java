package io.streamback.bench;

import java.util.Arrays;
import java.util.List;

/** Round-trip times in nanoseconds, collected from any number of threads into fixed slots. */
public final class Latencies {
    private final long[] nanos;
    private int size;

    public Latencies(int capacity) {
        this.nanos = new long[capacity];
    }

    /** Adds one sample; not thread-safe (see {@link #set}). */
    public void add(long sampleNanos) {
        nanos[size++] = sampleNanos;
    }

    /** Stores sample {@code index}; threads writing distinct indexes need no lock. Call {@link #filled} afterwards. */
    public void set(int index, long sampleNanos) {
        nanos[index] = sampleNanos;
    }

    /** Declares the first {@code count} slots filled (after {@link #set} from other threads, joined). */
    public void filled(int count) {
        size = count;
    }

    public int count() {
        return size;
    }

    /** All the samples of {@code parts} together. */
    public static Latencies merge(List<Latencies> parts) {
        int total = parts.stream().mapToInt(Latencies::count).sum();
        Latencies merged = new Latencies(total);
        for (Latencies part : parts) {
            System.arraycopy(part.nanos, 0, merged.nanos, merged.size, part.size);
            merged.size += part.size;
        }
        return merged;
    }

    /** The {@code q} quantile (0..1) in milliseconds, nearest rank. */
    public double percentileMillis(double q) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size);
        return sorted[Math.min(size, Math.max(1, rank)) - 1] / 1e6;
    }

    public double maxMillis() {
        return percentileMillis(1.0);
    }
}
