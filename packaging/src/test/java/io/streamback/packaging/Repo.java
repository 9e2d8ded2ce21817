package io.streamback.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout and the project version, as the build passes them to the tests. */
final class Repo {
    private Repo() {
    }

    /** The repository root: the Docker build context, and where crds/, helm/ and examples/ are. */
    static Path root() {
        Path root = Path.of(System.getProperty("streamback.root", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("crds"))) {
            throw new IllegalStateException(root + " is not the repository root (set -Dstreamback.root)");
        }
        return root;
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    /** Maven's project.version: the chart's version and appVersion, and the images' tag. */
    static String version() {
        String version = System.getProperty("streamback.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("-Dstreamback.version is not set (the pom sets it to ${project.version})");
        }
        return version;
    }

    /** A scratch folder under packaging/target. */
    static Path scratch(String name) {
        try {
            Path dir = root().resolve("packaging/target").resolve(name);
            Files.createDirectories(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
