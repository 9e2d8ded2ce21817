package io.streamback.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The one-line reason a worker exits with an error, written where Kubernetes reads a container's
 * termination message, so that {@code kubectl describe pod} and the operator's status show it
 * without anyone reading the logs. Written only where the file already exists and is writable (in
 * a Kubernetes container); elsewhere nothing happens. The reasons are the worker's own messages,
 * which show streams URLs with their credentials masked.
 */
final class TerminationMessage {

    /** Kubernetes' default {@code terminationMessagePath}. */
    static final Path KUBERNETES = Path.of("/dev/termination-log");
    /** Kubernetes keeps no more of a termination message. */
    static final int MAX_BYTES = 4096;

    private final Path path;

    TerminationMessage(Path path) {
        this.path = path;
    }

    /** Writes {@code reason}, cut to {@link #MAX_BYTES}; a file that cannot be written is left alone. */
    void write(String reason) {
        if (!Files.isRegularFile(path) || !Files.isWritable(path)) {
            return;
        }
        byte[] bytes = reason.replaceAll("\\s+", " ").trim().getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(path, bytes.length <= MAX_BYTES ? bytes : Arrays.copyOf(bytes, MAX_BYTES));
        } catch (IOException e) {
            // Best effort: the reason is in the log as well.
        }
    }
}
