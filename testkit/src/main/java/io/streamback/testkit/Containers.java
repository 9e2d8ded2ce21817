package io.streamback.testkit;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

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
     * Labels the container and publishes its ports on loopback only: test servers have no business on
     * the machine's other interfaces, where Testcontainers would otherwise publish them.
     */
    static void onLoopback(GenericContainer<?> container, Duration startupTimeout) {
        container.withLabel(LABEL, "true")
                .withStartupTimeout(startupTimeout)
                .withCreateContainerCmdModifier(Containers::bindPublishedPortsToLoopback);
    }

    private static void bindPublishedPortsToLoopback(CreateContainerCmd command) {
        ExposedPort[] exposed = Optional.ofNullable(command.getExposedPorts()).orElse(new ExposedPort[0]);
        Ports bindings = new Ports();
        Arrays.stream(exposed).forEach(port -> bindings.bind(port, Ports.Binding.bindIp(LOOPBACK)));
        command.getHostConfig().withPortBindings(bindings);
    }

    /**
     * Starts the container; if it does not come up, it is removed and the error names the image and
     * ends with the container's last output lines.
     */
    static void start(GenericContainer<?> container, String what) {
        try {
            container.start();
        } catch (RuntimeException e) {
            String output = outputTail(container);
            container.stop();
            throw new IllegalStateException(what + " from image " + container.getDockerImageName()
                    + " did not start: " + e.getMessage() + ". Last lines of its output:\n" + output, e);
        }
    }

    private static String outputTail(GenericContainer<?> container) {
        if (container.getContainerId() == null) {
            return "(no container was created)";
        }
        try {
            List<String> lines = container.getLogs().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (RuntimeException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** The error for an operation the container mode does not offer, naming the mode that does. */
    static UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(operation + " is not available in the testkit's container mode; run"
                + " in processes mode (" + TestkitMode.PROCESSES.asSystemProperty() + ", the default) for it");
    }
}
