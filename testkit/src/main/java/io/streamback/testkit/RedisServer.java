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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Redis server listening on a loopback port, without persistence.
 *
 * <p>In the default {@linkplain TestkitMode#PROCESSES processes mode} it is a {@code redis-server}
 * process, so that tests run against genuine Redis without Docker or a local installation. The
 * executable is the one named by the system property {@value #EXECUTABLE_PROPERTY} or the
 * environment variable {@value #EXECUTABLE_VARIABLE}, else a {@code redis-server} on the
 * {@code PATH}, else the binary shipped inside the embedded-redis jar for this platform.
 * {@link #stop()} and {@link #restart()} simulate a Redis outage on the same port; as nothing is
 * persisted, a restarted server starts empty. The process is killed when the JVM exits, even if
 * the server was not closed.
 *
 * <p>The server may demand a {@linkplain Builder#password password}, {@linkplain Builder#user ACL
 * users}, and {@linkplain Builder#tls TLS}; passwords go to a configuration file, not the command line.
 *
 * <p>In the {@linkplain TestkitMode#CONTAINERS container mode} it is a container of the
 * {@linkplain ContainerImages#redis() Redis image}, published on a loopback port. It takes
 * {@linkplain Builder#argument arguments} but neither passwords, users, TLS nor {@linkplain Builder#config
 * configuration lines}, and it cannot be stopped, killed or restarted: those fail, naming the processes mode.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 20;
    private static final int CONTAINER_PORT = 6379;
    /** System property naming the {@code redis-server} to run. */
    public static final String EXECUTABLE_PROPERTY = "streamback.redis.server";
    /** Environment variable naming the {@code redis-server} to run, when the system property is not set. */
    public static final String EXECUTABLE_VARIABLE = "STREAMBACK_REDIS_SERVER";

    private final int port;
    private final Deployment deployment;
    private final List<String> arguments;
    private final Optional<String> password;
    private final Map<String, String> users;
    private final Optional<TestCertificates> certificates;
    private final List<String> configLines;
    private final Thread shutdownHook = new Thread(this::close, "redis-server-shutdown");
    private Process process;
    private boolean closed;

    private RedisServer(int port, Deployment deployment, Builder builder) {
        this.port = port;
        this.deployment = deployment;
        this.arguments = List.copyOf(builder.arguments);
        this.password = builder.password;
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(builder.users));
        this.certificates = builder.certificates;
        this.configLines = List.copyOf(builder.configLines);
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

    /**
     * The URL clients connect with: {@code redis://127.0.0.1:PORT}, {@code rediss://} with TLS, and
     * the credentials of the first {@linkplain Builder#user user}, else the {@linkplain
     * Builder#password password}, e.g. {@code rediss://app:PASSWORD@127.0.0.1:PORT}. With
     * credentials it holds a password: don't log it.
     */
    public String url() {
        String credentials = users.isEmpty()
                ? password.map(p -> ":" + Support.urlEncode(p) + "@").orElse("")
                : users.entrySet().stream().findFirst()
                        .map(user -> Support.urlEncode(user.getKey()) + ":" + Support.urlEncode(user.getValue()) + "@")
                        .orElseThrow();
        return (certificates.isPresent() ? "rediss://" : "redis://") + credentials + HOST + ":" + port;
    }

    /**
     * Whether the {@code redis-server} in use was built with TLS, which {@link Builder#tls} needs.
     * Builds without it reject the TLS settings as unknown directives.
     */
    public static boolean supportsTls() {
        return Executable.supportsTls();
    }

    /** The {@code redis-server} executable this JVM runs (found, or extracted, on first use). */
    public static Path executable() {
        return Executable.path();
    }

    /** Where the server listens, without credentials: for messages and logs. */
    private String address() {
        return (certificates.isPresent() ? "rediss://" : "redis://") + HOST + ":" + port;
    }

    /**
     * Terminates the process, keeping the port for {@link #restart()}. Does nothing if it is not running.
     *
     * @throws UnsupportedOperationException in the container mode
     */
    public synchronized void stop() {
        childProcess("RedisServer.stop()");
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
            throw new IllegalStateException("Interrupted while stopping Redis server on " + address(), e);
        } finally {
            process = null;
        }
        log.info("Stopped Redis server on {}", address());
    }

    /**
     * Kills the process with SIGKILL, as a crash would, keeping the port and directory for {@link #restart()}.
     * Does nothing if it is not running.
     *
     * @throws UnsupportedOperationException in the container mode
     */
    public synchronized void kill() {
        childProcess("RedisServer.kill()");
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing Redis server on " + address(), e);
        } finally {
            process = null;
        }
        log.info("Killed Redis server on {}", address());
    }

    /**
     * Stops the server if it runs, then starts a new, empty one on the same port and waits until it answers.
     *
     * @throws UnsupportedOperationException in the container mode
     */
    public synchronized void restart() {
        ChildProcess child = childProcess("RedisServer.restart()");
        if (closed) {
            throw new IllegalStateException("Redis server on " + address() + " is closed");
        }
        stop();
        startProcess(child);
    }

    /** Whether the server process, or container, is alive. */
    public synchronized boolean isRunning() {
        if (deployment instanceof InContainer inContainer) {
            return inContainer.container().isRunning();
        }
        return process != null && process.isAlive();
    }

    /** Kills the process and deletes its directory, or removes the container. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (deployment instanceof InContainer inContainer) {
                inContainer.container().stop();
                log.info("Removed Redis container on {}", address());
            } else {
                stop();
            }
        } finally {
            if (deployment instanceof ChildProcess child) {
                Support.deleteRecursively(child.dir());
            }
            Support.removeShutdownHook(shutdownHook);
        }
    }

    /** The container this server runs in, if the container mode started it: for tests of the testkit itself. */
    Optional<GenericContainer<?>> container() {
        return deployment instanceof InContainer inContainer ? Optional.of(inContainer.container()) : Optional.empty();
    }

    private ChildProcess childProcess(String operation) {
        if (deployment instanceof ChildProcess child) {
            return child;
        }
        throw Containers.unsupported(operation);
    }

    private void startProcess(ChildProcess child) {
        Path executable = Executable.path();
        Path config = writeConfig(child.dir());
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                config.toString(),
                // With TLS, the TLS port is the only one: plain connections can't bypass it.
                "--port", String.valueOf(certificates.isPresent() ? 0 : port)));
        certificates.ifPresent(c -> command.addAll(List.of("--tls-port", String.valueOf(port))));
        command.addAll(List.of(
                "--bind", HOST,
                "--save", "",
                "--appendonly", "no",
                "--dir", child.dir().toString()));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command)
                    .directory(child.dir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(child.logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + executable, e);
        }
        try {
            awaitReady(child.logFile());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            process = null;
            throw e;
        }
        log.info("Started Redis server on {} ({}{})", address(), executable,
                password.isPresent() || !users.isEmpty() ? ", with authentication" : "");
    }

    /** The security settings, in a file so that passwords stay out of the process list; quoted as Redis reads them. */
    private Path writeConfig(Path dir) {
        List<String> lines = new ArrayList<>(configLines);
        password.ifPresent(p -> lines.add("requirepass " + quote(p)));
        if (!users.isEmpty() && password.isEmpty()) {
            lines.add("user default off");
        }
        users.forEach((name, secret) -> lines.add("user " + quote(name) + " on " + quote(">" + secret) + " ~* +@all"));
        certificates.ifPresent(c -> {
            lines.add("tls-cert-file " + quote(c.serverCertificate().toString()));
            lines.add("tls-key-file " + quote(c.serverKey().toString()));
            lines.add("tls-ca-cert-file " + quote(c.caCertificate().toString()));
            lines.add("tls-auth-clients no");
        });
        Path config = dir.resolve("redis.conf");
        try {
            Files.write(config, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + config, e);
        }
        return config;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void awaitReady(Path logFile) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Redis server on " + address() + " exited with code "
                        + process.exitValue() + " during startup. Last lines of " + logFile + ":\n" + logTail(logFile));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis server did not become ready on " + address() + " within "
                        + READY_TIMEOUT.toSeconds() + " s. Last lines of " + logFile + ":\n" + logTail(logFile));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Redis server on " + address(), e);
            }
        }
    }

    /**
     * Sends a RESP PING, over TLS if the server speaks it; a server that demands a password answers
     * {@code -NOAUTH}, which also proves it is up.
     */
    private boolean answersPing() {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(HOST, port), 1_000);
            plain.setSoTimeout(1_000);
            Socket socket = plain;
            if (certificates.isPresent()) {
                SSLSocket tls = (SSLSocket) certificates.get().sslContext().getSocketFactory()
                        .createSocket(plain, HOST, port, true);
                tls.startHandshake();
                socket = tls;
            }
            socket.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = socket.getInputStream().readNBytes(7);
            String answer = new String(reply, StandardCharsets.US_ASCII);
            return answer.equals("+PONG\r\n") || answer.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /** The end of the server's log, for error messages; Redis quotes a configuration line it rejects, so passwords are masked. */
    private String logTail(Path logFile) {
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            List<String> all = lines.toList();
            String tail = String.join("\n", all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size()));
            for (String secret : Stream.concat(password.stream(), users.values().stream()).toList()) {
                tail = tail.replace(secret, "****");
            }
            return tail;
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Settings of a {@link RedisServer}: authentication, TLS, and extra command-line arguments. */
    public static final class Builder {

        private final List<String> arguments = new ArrayList<>();
        private Optional<String> password = Optional.empty();
        private final Map<String, String> users = new LinkedHashMap<>();
        private Optional<TestCertificates> certificates = Optional.empty();
        private final List<String> configLines = new ArrayList<>();

        private Builder() {
        }

        /** The default user's password ({@code requirepass}): clients connect with {@code redis://:PASSWORD@...}. */
        public Builder password(String password) {
            if (password.isEmpty()) {
                throw new IllegalArgumentException("Redis password must not be empty");
            }
            this.password = Optional.of(password);
            return this;
        }

        /**
         * Adds an ACL user allowed every command on every key. Unless a {@link #password} is also
         * given, the default user is then disabled, so only these users get in.
         */
        public Builder user(String name, String password) {
            if (name.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException("Redis user name and password must not be empty");
            }
            users.put(name, password);
            return this;
        }

        /**
         * Serves TLS only ({@code rediss://}), with the server certificate of {@code certificates};
         * clients need no certificate of their own. Needs a {@code redis-server} built with TLS
         * (see {@link RedisServer#supportsTls()}).
         */
        public Builder tls(TestCertificates certificates) {
            this.certificates = Optional.of(certificates);
            return this;
        }

        /** Appends arguments to the {@code redis-server} command line, e.g. {@code "--requirepass", "secret"}. */
        public Builder argument(String... arguments) {
            this.arguments.addAll(Arrays.asList(arguments));
            return this;
        }

        /**
         * Adds a line to the configuration file the server starts with, e.g. {@code "sentinel monitor
         * primary 127.0.0.1 6379 2"}; for what the command line can't say, or must not show.
         */
        public Builder config(String line) {
            configLines.add(line);
            return this;
        }

        /**
         * Starts the server, as a process or a container as {@link TestkitMode#configured()} says, and
         * returns once it answers.
         *
         * @throws UnsupportedOperationException for a password, users, TLS or configuration lines in the container mode
         * @throws IllegalStateException if the server does not start, or no container engine answers
         */
        public RedisServer start() {
            return TestkitMode.configured() == TestkitMode.CONTAINERS ? startContainer() : startChildProcess();
        }

        private RedisServer startChildProcess() {
            ChildProcess child = new ChildProcess(Support.createTempDirectory("streamback-redis-"));
            RedisServer server = new RedisServer(Support.freePorts(1)[0], child, this);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            try {
                synchronized (server) {
                    server.startProcess(child);
                }
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        private RedisServer startContainer() {
            if (password.isPresent() || !users.isEmpty() || certificates.isPresent() || !configLines.isEmpty()) {
                throw Containers.unsupported("A Redis server with a password, users, TLS or configuration lines");
            }
            Containers.requireEngine();
            List<String> command = new ArrayList<>(List.of(
                    "redis-server", "--protected-mode", "no", "--save", "", "--appendonly", "no"));
            command.addAll(arguments);
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(ContainerImages.redis()))
                    .withExposedPorts(CONTAINER_PORT)
                    .withCommand(command.toArray(String[]::new));
            Containers.start(container, "Redis container", Pattern.compile("Ready to accept connections"), READY_TIMEOUT);
            RedisServer server = new RedisServer(container.getMappedPort(CONTAINER_PORT), new InContainer(container), this);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            log.info("Started Redis container on {} ({})", server.address(), container.getDockerImageName());
            return server;
        }
    }

    /** Where the server runs. */
    private sealed interface Deployment permits ChildProcess, InContainer {
    }

    /** A {@code redis-server} child process with its own directory for configuration and log. */
    private record ChildProcess(Path dir) implements Deployment {

        Path logFile() {
            return dir.resolve("redis.log");
        }
    }

    /** A container whose Redis port is published on a loopback port. */
    private record InContainer(GenericContainer<?> container) implements Deployment {
    }

    /** The {@code redis-server} executable, looked up or extracted once per JVM. */
    private static final class Executable {

        private static Path path;
        private static Boolean supportsTls;

        static synchronized Path path() {
            if (path == null) {
                path = configured().or(Executable::find).orElseGet(Executable::extract);
            }
            return path;
        }

        /** The executable named by the system property or environment variable, checked. */
        private static Optional<Path> configured() {
            String property = System.getProperty(EXECUTABLE_PROPERTY);
            String variable = System.getenv(EXECUTABLE_VARIABLE);
            String source = property != null && !property.isBlank() ? "system property " + EXECUTABLE_PROPERTY
                    : "environment variable " + EXECUTABLE_VARIABLE;
            return Optional.ofNullable(property).filter(value -> !value.isBlank())
                    .or(() -> Optional.ofNullable(variable).filter(value -> !value.isBlank()))
                    .map(value -> {
                        Path configured = Path.of(value.strip());
                        if (!Files.isRegularFile(configured) || !Files.isExecutable(configured)) {
                            throw new IllegalStateException("The " + source + " names " + configured
                                    + ", which is not an executable file");
                        }
                        return configured;
                    });
        }

        /** Runs the executable with the TLS port set and nothing else to listen on: it exits at once either way. */
        static synchronized boolean supportsTls() {
            if (supportsTls == null) {
                Path executable = path();
                Path output = Support.createTempDirectory("streamback-redis-probe-").resolve("probe.log");
                try {
                    Process probe = new ProcessBuilder(executable.toString(), "--port", "0", "--tls-port", "0",
                            "--save", "", "--appendonly", "no")
                            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                    if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                        probe.destroyForcibly().waitFor();
                    }
                    supportsTls = !Files.readString(output).contains("Bad directive");
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not run " + executable, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while running " + executable, e);
                } finally {
                    Support.deleteRecursively(output.getParent());
                }
            }
            return supportsTls;
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
