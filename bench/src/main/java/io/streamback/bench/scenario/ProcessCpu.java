package io.streamback.bench.scenario;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time this JVM spends on a piece of work, all its threads together except the JIT
 * compiler's. Compiling is not per-call work: how much of it falls into a run depends on which
 * side ran the shared Kafka, Jedis and Jackson code first, and measured with it the figure moved
 * by half from round to round. The compiler threads are told by name from {@code /proc/self/task}
 * (Linux); elsewhere they count like any thread.
 */
final class ProcessCpu {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Linux's USER_HZ: {@code /proc} counts CPU time in hundredths of a second. */
    private static final long NANOS_PER_TICK = 10_000_000;

    private final long processStart = OS.getProcessCpuTime();
    private final Map<String, Long> compilerStart = compilerThreadNanos();

    private ProcessCpu() {
    }

    /** Starts measuring. */
    static ProcessCpu start() {
        return new ProcessCpu();
    }

    /** CPU time since {@link #start()}, less what the compiler threads alive at both ends spent. */
    long elapsedNanos() {
        long process = OS.getProcessCpuTime() - processStart;
        long compiling = 0;
        for (Map.Entry<String, Long> thread : compilerThreadNanos().entrySet()) {
            Long before = compilerStart.get(thread.getKey());
            if (before != null) {
                compiling += thread.getValue() - before;
            }
        }
        return process - compiling;
    }

    /** CPU time per JIT compiler thread, by thread id. */
    private static Map<String, Long> compilerThreadNanos() {
        Map<String, Long> nanos = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return nanos;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        // after the name: state, then 10 more fields; utime and stime are the 12th and 13th
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        nanos.put(task.getFileName().toString(),
                                (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            // no per-thread figures: count every thread
        }
        return nanos;
    }
}
