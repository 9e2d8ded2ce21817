package io.streamback.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image's files, assembled on this machine from its Dockerfile's COPY lines, and its ENTRYPOINT and
 * CMD run from there as a child process with the image's ENV: the image without the container.
 * Paths under {@code /opt/} in the entrypoint point into the layout, and {@code java} is this JVM's.
 */
final class ImageLayout {
    /** Where every COPY of the project's images lands in the image, so that the entrypoint can be re-pointed. */
    static final String IMAGE_PREFIX = "/opt/";

    final Dockerfile dockerfile;
    final Path root;

    private ImageLayout(Dockerfile dockerfile, Path root) {
        this.dockerfile = dockerfile;
        this.root = root;
    }

    /** Copies what the Dockerfile copies from the repository root into {@code root} (emptied first). */
    static ImageLayout assemble(Image image, Path root) {
        Dockerfile dockerfile = Dockerfile.of(image);
        try {
            deleteRecursively(root);
            Files.createDirectories(root);
            for (Dockerfile.Copy copy : dockerfile.copies()) {
                Path source = Repo.root().resolve(copy.source());
                if (!Files.isRegularFile(source)) {
                    throw new IllegalStateException(image.dockerfile + " copies " + copy.source()
                            + ", which does not exist: build it first (mvn package)");
                }
                Path target = inLayout(root, copy.target());
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ImageLayout(dockerfile, root);
    }

    /** A path of the image, in the layout. */
    Path file(String imagePath) {
        return inLayout(root, imagePath);
    }

    /** {@code docker run IMAGE args...}: the entrypoint, then {@code args}, or CMD when there are none. */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(dockerfile.entrypoint());
        command.addAll(args.length == 0 ? dockerfile.cmd() : List.of(args));
        List<String> local = new ArrayList<>();
        for (String word : command) {
            local.add(word.replace(IMAGE_PREFIX, root.resolve(IMAGE_PREFIX.substring(1)) + "/"));
        }
        if (local.get(0).equals("java")) {
            local.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        return local;
    }

    /**
     * The process {@code docker run -e env... IMAGE args...} would start, with the image's ENV and
     * {@code env}, none of this JVM's STREAMBACK_*, JAVA_TOOL_OPTIONS or KUBECONFIG variables, and
     * stdout and stderr to files in {@code logs}.
     */
    ProcessBuilder process(Map<String, String> env, Path logs, String name, String... args) {
        ProcessBuilder builder = new ProcessBuilder(command(args));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(variable -> variable.startsWith("STREAMBACK_")
                || variable.equals("JAVA_TOOL_OPTIONS") || variable.equals("KUBECONFIG"));
        environment.putAll(dockerfile.env());
        environment.putAll(env);
        try {
            Files.createDirectories(logs);
            // The image's WORKDIR is /tmp: a scratch folder stands in for it.
            Path workdir = Files.createDirectories(logs.resolve(name + "-workdir"));
            builder.directory(workdir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return builder.redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile());
    }

    private static Path inLayout(Path root, String imagePath) {
        if (!imagePath.startsWith(IMAGE_PREFIX)) {
            throw new IllegalArgumentException(imagePath + " is not under " + IMAGE_PREFIX);
        }
        return root.resolve(imagePath.substring(1));
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var files = Files.walk(path)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
