package io.streamback.packaging;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The single Kubernetes node of {@code .ci/node} (kubelet, kube-scheduler, containerd) beside the
 * operator tests' control plane: started, given images, stopped and cleaned up by that script.
 */
final class KubeNode {

    /** The node's address on the pods' bridge: servers bound to it are reachable from pods. */
    static final String BRIDGE_ADDRESS = "10.217.0.1";

    private KubeNode() {
    }

    /** Starts the node against the API server of {@code kubeconfig}; returns once it is Ready. */
    static void start(Path kubeconfig) {
        script(300, "start", kubeconfig.toString());
    }

    /** Copies images from podman into the node's containerd. */
    static void load(String... images) {
        List<String> args = new ArrayList<>(List.of("load"));
        args.addAll(List.of(images));
        script(300, args.toArray(String[]::new));
    }

    /** Stops the node and removes what it made. */
    static void stop() {
        script(120, "stop");
    }

    private static void script(long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of(Repo.path(".ci/node").toString()));
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile(Repo.scratch("node"), "node", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(".ci/node " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            if (process.exitValue() != 0) {
                fail(".ci/node " + String.join(" ", args) + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
