package io.streamback.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM started on the harness's own class path, running one of the bench module's mains.
 * It announces itself with one line on stdout; its stderr goes to a log file. Closing its stdin
 * asks it to stop: every child main exits when its stdin ends, so none outlives the harness.
 */
public final class ChildJvm implements AutoCloseable {
    private final String label;
    private final Process process;
    private final Path log;
    private final BufferedReader stdout;

    private ChildJvm(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code mainClass} with {@code jvmOptions} (space separated, may be empty) and {@code args}. */
    public static ChildJvm start(String label, String jvmOptions, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Arrays.stream(jvmOptions.trim().split("\\s+")).filter(option -> !option.isEmpty()).forEach(command::add);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("streamback-bench-" + label + "-", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildJvm(label, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the " + label + " JVM", e);
        }
    }

    /** The harness's class path; under Surefire the test class path. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the child's next stdout line starting with {@code prefix}; returns the rest of it. */
    public String awaitLine(String prefix, Duration timeout) {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String next; (next = stdout.readLine()) != null; ) {
                    if (next.startsWith(prefix)) {
                        return next.substring(prefix.length()).trim();
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            String found = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (found == null) {
                throw failure("exited (code " + exitCode() + ") before saying " + prefix);
            }
            return found;
        } catch (TimeoutException e) {
            throw failure("did not say " + prefix + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure("could not be read: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for " + prefix);
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException("The " + label + " JVM " + what + "; its log " + log + " ends with:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Closes the child's stdin and waits for it to exit; kills it if it does not within a while. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the child is gone already
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (process.exitValue() == 0) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // only garbage in the temp folder
            }
        }
    }

    /** For child mains: blocks until the parent closes our stdin (or dies). */
    public static void awaitParentGone() throws IOException {
        byte[] buffer = new byte[256];
        while (System.in.read(buffer) != -1) {
            // nothing is sent; only the end matters
        }
    }
}
