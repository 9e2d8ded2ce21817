package io.streamback.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** What the benchmarks ran on. */
public record Machine(int cores, String cpu, String memory, String os, String java) {

    public static Machine current() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                procLine(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")),
                procLine(Path.of("/proc/meminfo"), "MemTotal").map(Machine::kibToGib).orElse("?"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    private static Optional<String> procLine(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String kibToGib(String memTotal) {
        try {
            return String.format("%.1f GiB", Long.parseLong(memTotal.split("\\s+")[0]) / 1024.0 / 1024.0);
        } catch (NumberFormatException e) {
            return memTotal;
        }
    }

    @Override
    public String toString() {
        return cores + " cores (" + cpu + "), " + memory + ", " + os + ", " + java;
    }
}
