package io.streamback.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/** What the Kafka and Redis containers of the {@linkplain TestkitMode#CONTAINERS container mode} share. */
final class Containers {

    /** Label on every container the testkit starts, so that they can be counted and told from others. */
    static final String LABEL = "io.streamback.testkit";
    private static final String LOOPBACK = "127.0.0.1";
    private static final int LOG_TAIL_LINES = 20;

    private Containers() {
    }

    /**
     * Fails at once, rather than at a start timeout, when no Docker-compatible engine answers,
     * saying what to install or run.
     */
    static void requireEngine() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            String dockerHost = Optional.ofNullable(System.getenv("DOCKER_HOST"))
                    .map(host -> "DOCKER_HOST=" + host).orElse("DOCKER_HOST unset");
            throw new IllegalStateException("The testkit's container mode (" + TestkitMode.CONTAINERS.asSystemProperty()
                    + ") needs a Docker-compatible container engine, and none answered (" + dockerHost
                    + "). Start Docker, or podman's API service (podman system service --time=0"
                    + " unix:///run/podman/podman.sock) with DOCKER_HOST=unix:///run/podman/podman.sock,"
                    + " or run without containers: " + TestkitMode.PROCESSES.asSystemProperty());
        }
    }

    /**
     * Starts the container, labelled as the testkit's and with its ports published on loopback only
     * (test servers have no business on the machine's other interfaces, where Testcontainers would
     * otherwise publish them), and returns once it writes a line matching {@code readyLine}. If it
     * exits first, or does not get there within {@code timeout}, the error names the image and the
     * causes, and ends with the container's last output lines.
     */
    static void start(GenericContainer<?> container, String what, Pattern readyLine, Duration timeout) {
        OutputTail output = new OutputTail(readyLine);
        container.withLabel(LABEL, "true")
                .withCreateContainerCmdModifier(Containers::bindPublishedPortsToLoopback)
                .withLogConsumer(output)
                .waitingFor(new ReadyLineWait(output).withStartupTimeout(timeout));
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            List<String> causes = new ArrayList<>();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                causes.add(Optional.ofNullable(cause.getMessage()).orElse(cause.getClass().getName()).replaceAll("\\.+$", ""));
            }
            throw new IllegalStateException(what + " from image " + container.getDockerImageName() + " did not start: "
                    + String.join(": ", causes) + ". Last lines of its output:\n" + output, e);
        }
    }

    private static void bindPublishedPortsToLoopback(CreateContainerCmd command) {
        ExposedPort[] exposed = Optional.ofNullable(command.getExposedPorts()).orElse(new ExposedPort[0]);
        Ports bindings = new Ports();
        Arrays.stream(exposed).forEach(port -> bindings.bind(port, Ports.Binding.bindIp(LOOPBACK)));
        command.getHostConfig().withPortBindings(bindings);
    }

    /**
     * The last lines a container wrote, enough to explain a failed start without keeping a chatty
     * broker's whole log, and whether a line said it is ready.
     */
    private static final class OutputTail implements Consumer<OutputFrame> {

        private final Pattern readyLine;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final Deque<String> lines = new ArrayDeque<>();

        OutputTail(Pattern readyLine) {
            this.readyLine = readyLine;
        }

        @Override
        public synchronized void accept(OutputFrame frame) {
            if (frame.getType() == OutputFrame.OutputType.END) {
                return;
            }
            frame.getUtf8StringWithoutLineEnding().lines().forEach(line -> {
                if (readyLine.matcher(line).find()) {
                    ready.countDown();
                }
                lines.addLast(line);
                if (lines.size() > LOG_TAIL_LINES) {
                    lines.removeFirst();
                }
            });
        }

        @Override
        public synchronized String toString() {
            return String.join("\n", lines);
        }
    }

    /**
     * Waits for the ready line, checking between waits that the container still runs: one that exits
     * at once (a bad argument, a broken image) fails at once rather than at the timeout.
     */
    private static final class ReadyLineWait extends AbstractWaitStrategy {

        private static final Duration EXIT_CHECK_INTERVAL = Duration.ofMillis(200);
        private final OutputTail output;

        ReadyLineWait(OutputTail output) {
            this.output = output;
        }

        @Override
        protected void waitUntilReady() {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            try {
                while (!output.ready.await(EXIT_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                    if (!waitStrategyTarget.isRunning()) {
                        throw new ContainerLaunchException("Container exited with code "
                                + waitStrategyTarget.getCurrentContainerInfo().getState().getExitCodeLong()
                                + " before writing a line matching '" + output.readyLine + "'");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new ContainerLaunchException("No line matching '" + output.readyLine + "' within "
                                + startupTimeout.toSeconds() + " s");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("Interrupted while waiting for the container to be ready", e);
            }
        }
    }

    /** The error for an operation the container mode does not offer, naming the mode that does. */
    static UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(operation + " is not available in the testkit's container mode; run"
                + " in processes mode (" + TestkitMode.PROCESSES.asSystemProperty() + ", the default) for it");
    }
}
