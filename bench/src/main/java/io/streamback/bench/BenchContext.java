package io.streamback.bench;

import io.streamback.testkit.Testkit;
import java.io.PrintStream;

/**
 * What every scenario gets: the servers, the sizes, the JVM options of worker processes, the
 * Streamback side's tracing, and a place to say what it is doing.
 */
public record BenchContext(Servers servers, Sizes sizes, String workerJvmOptions, BenchTracing tracing,
                           PrintStream progress, long startNanos) {

    public BenchContext(Servers servers, Sizes sizes, String workerJvmOptions, BenchTracing tracing, PrintStream progress) {
        this(servers, sizes, workerJvmOptions, tracing, progress, System.nanoTime());
    }

    /**
     * Creates a topic no other run uses, with {@code partitions} partitions, and empties the Redis
     * server both sides use ({@link Servers#emptyRedis()}): a run starts on a clean slate.
     */
    public String freshTopic(String prefix, int partitions) {
        servers.emptyRedis();
        String topic = Testkit.uniqueName("bench-" + prefix);
        servers.createTopic(topic, partitions);
        return topic;
    }

    public void say(String format, Object... args) {
        progress.printf("[bench %6.1f s] " + format + "%n",
                prepend((System.nanoTime() - startNanos) / 1e9, args));
        progress.flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
