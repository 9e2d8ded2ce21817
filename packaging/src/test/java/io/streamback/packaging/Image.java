package io.streamback.packaging;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The project's container images: their names, the Dockerfile each is built from (with the
 * repository root as the build context), and their tag, the project version as it is
 * (e.g. {@code 0.1.0-SNAPSHOT}, a valid image tag).
 */
enum Image {
    /** The worker base image: the streamback CLI; service teams add their jars to /opt/streamback/lib/. */
    WORKER("streamback/worker", "docker/worker/Dockerfile"),
    /** The operator. */
    OPERATOR("streamback/operator", "docker/operator/Dockerfile"),
    /** The worker image plus the examples jar: what examples/k8s runs. */
    EXAMPLES("streamback/examples", "examples/Dockerfile");

    final String repository;
    final String dockerfile;

    Image(String repository, String dockerfile) {
        this.repository = repository;
        this.dockerfile = dockerfile;
    }

    /** {@code repository:version}. */
    String reference() {
        return repository + ":" + Repo.version();
    }

    Path dockerfilePath() {
        return Repo.path(dockerfile);
    }

    /** The image a FROM line names, if it is one of the project's. */
    static Optional<Image> named(String reference) {
        String repository = reference.contains(":") ? reference.substring(0, reference.lastIndexOf(':')) : reference;
        return Arrays.stream(values()).filter(image -> image.repository.equals(repository)).findFirst();
    }
}
