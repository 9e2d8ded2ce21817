package io.streamback.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} process listening on a free loopback port, without persistence.
 *
 * <p>It exists so that tests run against genuine Redis without Docker or a local installation: a
 * {@code redis-server} on the {@code PATH} is used if there is one, otherwise the binary shipped
 * inside the embedded-redis jar for this platform. {@link #stop()} and {@link #restart()} simulate
 * a Redis outage on the same port; as nothing is persisted, a restarted server starts empty. The
 * process is killed when the JVM exits, even if the server was not closed.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 20;

    private final int port;
    private final Path dir;
    private final Path logFile;
    private final List<String> arguments;
    private final Thread shutdownHook = new Thread(this::close, "redis-server-shutdown");
    private Process process;
    private boolean closed;

    private RedisServer(int port, Path dir, List<String> arguments) {
        this.port = port;
        this.dir = dir;
        this.logFile = dir.resolve("redis.log");
        this.arguments = arguments;
    }

    /** Starts a Redis server with default settings. */
    public static RedisServer start() {
        return builder().start();
    }

    /** Returns a builder for a Redis server with extra command-line arguments. */
    public static Builder builder() {
        return new Builder();
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The server's address as {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://" + HOST + ":" + port;
    }

    /** Terminates the process, keeping the port for {@link #restart()}. Does nothing if it is not running. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping Redis server on " + url(), e);
        } finally {
            process = null;
        }
        log.info("Stopped Redis server on {}", url());
    }

    /** Stops the server if it runs, then starts a new, empty one on the same port and waits until it answers. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("Redis server on " + url() + " is closed");
        }
        stop();
        startProcess();
    }

    /** Whether the server process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the process and deletes its directory. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            Support.deleteRecursively(dir);
            Support.removeShutdownHook(shutdownHook);
        }
    }

    private void startProcess() {
        Path executable = Executable.path();
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "--port", String.valueOf(port),
                "--bind", HOST,
                "--save", "",
                "--appendonly", "no",
                "--dir", dir.toString()));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + executable, e);
        }
        try {
            awaitReady();
        } catch (RuntimeException e) {
            process.destroyForcibly();
            process = null;
            throw e;
        }
        log.info("Started Redis server on {} ({})", url(), executable);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Redis server on " + url() + " exited with code "
                        + process.exitValue() + " during startup. Last lines of " + logFile + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis server did not become ready on " + url() + " within "
                        + READY_TIMEOUT.toSeconds() + " s. Last lines of " + logFile + ":\n" + logTail());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Redis server on " + url(), e);
            }
        }
    }

    /** Sends a RESP PING; a server that demands a password answers {@code -NOAUTH}, which also proves it is up. */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1_000);
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = socket.getInputStream().readNBytes(7);
            String answer = new String(reply, StandardCharsets.US_ASCII);
            return answer.equals("+PONG\r\n") || answer.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail() {
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Extra command-line arguments for a {@link RedisServer}. */
    public static final class Builder {

        private final List<String> arguments = new ArrayList<>();

        private Builder() {
        }

        /** Appends arguments to the {@code redis-server} command line, e.g. {@code "--requirepass", "secret"}. */
        public Builder argument(String... arguments) {
            this.arguments.addAll(Arrays.asList(arguments));
            return this;
        }

        /** Starts the server and returns once it answers PING. */
        public RedisServer start() {
            RedisServer server = new RedisServer(
                    Support.freePorts(1)[0], Support.createTempDirectory("streamback-redis-"), List.copyOf(arguments));
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            try {
                synchronized (server) {
                    server.startProcess();
                }
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }

    /** The {@code redis-server} executable, looked up or extracted once per JVM. */
    private static final class Executable {

        private static Path path;

        static synchronized Path path() {
            if (path == null) {
                path = find().orElseGet(Executable::extract);
            }
            return path;
        }

        private static Optional<Path> find() {
            String path = System.getenv("PATH");
            if (path == null) {
                return Optional.empty();
            }
            return Arrays.stream(path.split(File.pathSeparator))
                    .filter(dir -> !dir.isEmpty())
                    .map(dir -> Path.of(dir, "redis-server"))
                    .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                    .findFirst();
        }

        private static Path extract() {
            String resource = bundledBinary();
            Path dir = Support.createTempDirectory("streamback-redis-bin-");
            Path binary = dir.resolve(resource);
            dir.toFile().deleteOnExit();
            binary.toFile().deleteOnExit();
            try (InputStream in = RedisServer.class.getResourceAsStream("/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("The embedded-redis jar is not on the classpath: resource "
                            + resource + " not found, and there is no redis-server on the PATH");
                }
                Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not extract " + resource + " to " + binary, e);
            }
            if (!binary.toFile().setExecutable(true)) {
                throw new IllegalStateException("Could not make " + binary + " executable");
            }
            return binary;
        }

        /** Name of the binary in the embedded-redis jar for this operating system and architecture. */
        private static String bundledBinary() {
            String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
            boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
            boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
            boolean x86 = arch.equals("x86") || arch.equals("i386") || arch.equals("i686");
            if (os.contains("linux") && x64) {
                return "redis-server-6.2.6-v5-linux-amd64";
            } else if (os.contains("linux") && arm64) {
                return "redis-server-6.2.7-linux-arm64";
            } else if (os.contains("linux") && x86) {
                return "redis-server-6.2.7-linux-386";
            } else if (os.contains("mac") && x64) {
                return "redis-server-6.2.6-v5-darwin-amd64";
            } else if (os.contains("mac") && arm64) {
                return "redis-server-6.2.6-v5-darwin-arm64";
            } else if (os.contains("windows") && x64) {
                return "redis-server-5.0.14.1-windows-amd64.exe";
            }
            throw new IllegalStateException("No redis-server on the PATH and no bundled binary for "
                    + os + "/" + arch + "; install redis-server");
        }
    }
}
