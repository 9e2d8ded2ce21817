package io.streamback.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process, from Linux's {@code /proc/<pid>/status}. */
public final class Rss {
    private Rss() {
    }

    /** VmRSS of process {@code pid}, in MiB. */
    public static double mebibytes(long pid) {
        return field(pid, "VmRSS:");
    }

    /**
     * RssAnon of process {@code pid}, in MiB: the part of its RSS that is its own (heap, stacks, malloc,
     * written private mappings), not page cache that other processes mapping the same files share.
     */
    public static double anonymousMebibytes(long pid) {
        return field(pid, "RssAnon:");
    }

    private static double field(long pid, String name) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
            throw new IllegalStateException(status + " has no " + name + " line");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + status + " (the memory scenario needs Linux's /proc)", e);
        }
    }
}
