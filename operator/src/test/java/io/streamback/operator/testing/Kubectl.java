package io.streamback.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code kubectl} of the control plane's version, as the cluster admin. */
public final class Kubectl {

    private Kubectl() {
    }

    /** Runs kubectl with {@code args}; returns its output, or fails with it when kubectl fails. */
    public static String run(Cluster cluster, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(cluster.controlPlane().kubectl().toString());
        command.add("--kubeconfig=" + cluster.controlPlane().writeKubeconfig());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish: " + output);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("kubectl " + String.join(" ", args) + " exited with "
                    + process.exitValue() + ": " + output);
        }
        return output;
    }
}
