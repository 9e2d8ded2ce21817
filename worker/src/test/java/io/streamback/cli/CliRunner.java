package io.streamback.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the streamback command line in a child JVM, as a shell would: from the test classpath
 * (fast) or from the shaded {@code streamback.jar}. The child sees none of this JVM's
 * STREAMBACK_* variables, only those given with {@link #env}.
 */
public final class CliRunner {
    private final List<String> launcher;
    private final Path logs;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Command> started = new ArrayList<>();

    private CliRunner(List<String> launcher, Path logs) {
        this.launcher = launcher;
        this.logs = logs;
    }

    /** {@code java -cp <this test classpath> io.streamback.cli.StreambackCli}; stdout and stderr go to files in {@code logs}. */
    public static CliRunner fromClasspath(Path logs) {
        // The quick JIT alone halves the start-up of these short-lived JVMs.
        return new CliRunner(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), StreambackCli.class.getName()), logs);
    }

    /** {@code java -jar streamback.jar}; stdout and stderr go to files in {@code logs}. */
    public static CliRunner fromJar(Path jar, Path logs) {
        return new CliRunner(List.of(java(), "-jar", jar.toString()), logs);
    }

    public CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs a command to its end. */
    public Result run(String... args) throws IOException, InterruptedException {
        return start(args).awaitExit();
    }

    /** Starts a command that runs until stopped, e.g. {@code schedule}. */
    public Command start(String... args) throws IOException {
        List<String> commandLine = new ArrayList<>(launcher);
        commandLine.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        builder.environment().keySet().removeIf(name -> name.startsWith("STREAMBACK_"));
        builder.environment().putAll(env);
        Path stdout = logs.resolve(started.size() + ".out");
        Path stderr = logs.resolve(started.size() + ".err");
        Command command = new Command(builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start(),
                String.join(" ", args), stdout, stderr);
        started.add(command);
        return command;
    }

    /** Kills whatever is still running; for test cleanup. */
    public void killAll() throws InterruptedException {
        for (Command command : started) {
            command.process().destroyForcibly();
            command.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A started command and the files it prints to. */
    public record Command(Process process, String args, Path stdout, Path stderr) {
        /** Waits for the end (60 s at most) and collects what it printed. */
        public Result awaitExit() throws IOException, InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("streamback " + args + " did not end within 60 s; it printed:\n" + output());
            }
            return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        }

        /** SIGTERM, as Kubernetes stops a pod. */
        public void terminate() {
            process.destroy();
        }

        /** What it printed so far, stdout then stderr. */
        public String output() {
            try {
                return Files.readString(stdout) + Files.readString(stderr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What a finished command printed, and its exit code. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }
    }
}
