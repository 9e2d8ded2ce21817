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
 * The podman command line, for building and running the project's images for real. The engine and the
 * local JDK image come from {@code .ci/container-engine}, which prints that image's name.
 */
final class Podman {
    static final String HOW_TO_PREPARE = "Prepare the engine and the base image with .ci/container-engine (it prints "
            + "the image's name) and run mvn -pl packaging -am -Pcontainers verify "
            + "-Dstreamback.javaImage=\"$(.ci/container-engine)\"";

    private Podman() {
    }

    /** What a finished command printed. */
    record Result(int exitCode, String out, String err) {
    }

    /**
     * The JDK image the Dockerfiles' JAVA_IMAGE argument gets (they make their runtime from it); fails at once,
     * saying what to run, when unusable.
     */
    static String javaImage() {
        String image = System.getProperty("streamback.javaImage", "");
        if (image.isBlank() || image.startsWith("${")) {
            fail("-Dstreamback.javaImage (the JDK image the images' runtime is made from) is not set. " + HOW_TO_PREPARE);
        }
        Result exists;
        try {
            exists = run(List.of("image", "exists", image), 60);
        } catch (IllegalStateException e) {
            fail("podman cannot be run (" + e.getMessage() + "). " + HOW_TO_PREPARE);
            throw e;
        }
        if (exists.exitCode() != 0) {
            fail("podman has no image " + image + ". " + HOW_TO_PREPARE);
        }
        return image;
    }

    private static boolean projectImagesBuilt;

    /** Builds the project's three images from their Dockerfiles, once per test JVM. */
    static synchronized void buildProjectImages() {
        if (!projectImagesBuilt) {
            String javaImage = javaImage();
            for (Image image : List.of(Image.WORKER, Image.OPERATOR, Image.EXAMPLES)) {
                build(image, javaImage);
            }
            projectImagesBuilt = true;
        }
    }

    /** Builds one of the project's images from its Dockerfile, the repository root as the context. */
    static void build(Image image, String javaImage) {
        Result built = run(List.of("build", "--quiet", "--build-arg", "JAVA_IMAGE=" + javaImage,
                "--build-arg", "STREAMBACK_VERSION=" + Repo.version(), "-f", image.dockerfilePath().toString(),
                "-t", image.reference(), Repo.root().toString()), 600);
        if (built.exitCode() != 0) {
            fail("podman build of " + image.reference() + " failed:\n" + built.err());
        }
    }

    /** Runs podman with {@code args}, waiting up to {@code timeoutSeconds}. */
    static Result run(List<String> args, long timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(args);
        try {
            Path out = Files.createTempFile("podman", ".out");
            Path err = Files.createTempFile("podman", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not end within "
                            + timeoutSeconds + " s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs podman and returns what it printed, failing the test when it fails. */
    static String ok(List<String> args, long timeoutSeconds) {
        Result result = run(args, timeoutSeconds);
        if (result.exitCode() != 0) {
            fail("podman " + String.join(" ", args) + " exited " + result.exitCode() + ":\n" + result.err());
        }
        return result.out().strip();
    }

    /** Whether the container runs. */
    static boolean running(String container) {
        return ok(List.of("inspect", "--format", "{{.State.Running}}", container), 60).equals("true");
    }

    /** What the container printed, standard output then standard error. */
    static String logs(String container) {
        Result logs = run(List.of("logs", container), 60);
        return logs.out() + logs.err();
    }

    /** The ids of every container, running or not. */
    static List<String> containers() {
        String ids = ok(List.of("ps", "--all", "--quiet", "--no-trunc"), 60);
        return ids.isEmpty() ? List.of() : List.of(ids.split("\n"));
    }
}
