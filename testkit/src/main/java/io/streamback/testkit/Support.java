package io.streamback.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ports, temporary directories and shutdown hooks shared by the servers of the testkit. */
final class Support {

    private static final Logger log = LoggerFactory.getLogger(Support.class);

    private Support() {
    }

    /**
     * Finds {@code count} distinct loopback ports that are free now. All sockets are held open
     * together so that the same port is not handed out twice.
     */
    static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        log.warn("Could not close probe socket on port {}", socket.getLocalPort(), e);
                    }
                }
            }
        }
    }

    /** Percent-encodes a user name or password for the user info of a streams URL. */
    static String urlEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Path createTempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory " + prefix + "*", e);
        }
    }

    /** Deletes a directory tree; a failure is logged, not thrown, as it only leaves garbage in the temp folder. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete temporary directory {}", dir, e);
        }
    }

    /** Removes a hook unless the JVM is already shutting down, in which case the hook is what is running. */
    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Hooks cannot be removed once shutdown has begun; the hook then finds the resource closed.
        }
    }

    /** A setting read from a system property or, when that is unset or blank, an environment variable. */
    record Setting(String value, String source) {

        static Optional<Setting> lookup(String property, String variable) {
            return Optional.ofNullable(System.getProperty(property)).filter(value -> !value.isBlank())
                    .map(value -> new Setting(value.strip(), "system property " + property))
                    .or(() -> Optional.ofNullable(System.getenv(variable)).filter(value -> !value.isBlank())
                            .map(value -> new Setting(value.strip(), "environment variable " + variable)));
        }
    }

    /** Polls {@code condition} every 20 ms; a server that can't answer yet counts as not yet. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // a server still starting, or just killed: ask again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }
}
