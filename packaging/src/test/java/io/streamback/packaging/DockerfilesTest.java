package io.streamback.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.operator.dependent.WorkerPods;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Dockerfiles, read as docker build reads them: what each image is made of, without building it. */
class DockerfilesTest {

    static final List<String> WORKER_ENTRYPOINT = List.of("java", "-cp",
            "/opt/streamback/streamback.jar:/opt/streamback/lib/*", "io.streamback.cli.StreambackCli");

    @ParameterizedTest
    @EnumSource(Image.class)
    void everyImageIsTaggedAndLabelledWithTheProjectVersion(Image image) {
        Dockerfile dockerfile = Dockerfile.of(image);
        assertThat(dockerfile.args()).as("ARG STREAMBACK_VERSION's default is the project version: "
                + "change it with the pom's version").containsEntry("STREAMBACK_VERSION", Repo.version());
        assertThat(dockerfile.labels()).containsEntry("org.opencontainers.image.version", Repo.version())
                .containsEntry("org.opencontainers.image.title", image.repository.replace('/', '-'));
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void everyImageRunsJavaAsANumericNonRootUserAndGetsSigterm(Image image) {
        Dockerfile dockerfile = Dockerfile.of(image);
        assertThat(dockerfile.user()).as("numeric, so that runAsNonRoot pods need no runAsUser")
                .matches("[0-9]+:[0-9]+");
        assertThat(Integer.parseInt(dockerfile.user().split(":")[0])).isGreaterThanOrEqualTo(10000);
        // Exec form (or the read would fail): java is PID 1 and gets SIGTERM itself.
        assertThat(dockerfile.entrypoint()).first().isEqualTo("java");
        assertThat(dockerfile.env().get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=")
                .contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(dockerfile.workdir()).isEqualTo("/tmp");
        assertThat(dockerfile.exposed()).containsExactly("8080");
    }

    @Test
    void workerPodsRunAsTheWorkerImagesOwnUser() {
        assertThat(Dockerfile.of(Image.WORKER).user()).as("the operator's runAsUser and runAsGroup for worker pods")
                .isEqualTo(WorkerPods.RUN_AS_USER + ":" + WorkerPods.RUN_AS_USER);
    }

    /** The worker and operator images: a trimmed runtime and its root filesystem, made from a JDK in a build stage. */
    static final List<Dockerfile.Copy> RUNTIME = List.of(Dockerfile.Copy.fromStage("runtime", "/rootfs/", "/"),
            Dockerfile.Copy.fromStage("runtime", "/opt/jre/", "/opt/jre/"));

    @ParameterizedTest
    @EnumSource(value = Image.class, names = {"WORKER", "OPERATOR"})
    void theWorkerAndOperatorImagesRunAJavaRuntimeMadeByJlinkOnNothingElse(Image image) {
        Dockerfile dockerfile = Dockerfile.of(image);
        assertThat(dockerfile.stages()).as("a JDK by default, as with a registry").containsExactly(
                Map.entry("runtime", "eclipse-temurin:17-jdk"));
        assertThat(dockerfile.base()).as("no shell, no package manager: what the runtime needs is copied").isEqualTo("scratch");
        assertThat(dockerfile.copies()).startsWith(RUNTIME.toArray(Dockerfile.Copy[]::new));
        assertThat(dockerfile.env()).containsEntry("JAVA_HOME", "/opt/jre").containsEntry("PATH", "/opt/jre/bin");
        assertThat(dockerfile.contextSources()).contains("docker/assemble-runtime");
    }

    @Test
    void theWorkerImageRunsTheCliWithTheLibFolderOnTheClasspath() {
        Dockerfile worker = Dockerfile.of(Image.WORKER);
        assertThat(worker.copies()).containsExactly(RUNTIME.get(0), RUNTIME.get(1), Dockerfile.Copy.fromStage("runtime",
                "/opt/streamback/streamback.jar", "/opt/streamback/streamback.jar"));
        assertThat(worker.contextSources()).as("the jar, and the examples app the class data sharing archive is trained with")
                .containsExactlyInAnyOrder("docker/assemble-runtime", "docker/worker/connected-classes.list",
                        "worker/target/streamback.jar", "examples/target/streamback-examples-" + Repo.version() + ".jar");
        assertThat(worker.env().get("JAVA_TOOL_OPTIONS")).as("settings for a small worker (docs/images.md)")
                .contains("-XX:+UseSerialGC").contains("-XX:TieredStopAtLevel=1").contains("-Xms8m")
                .contains("-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0");
        assertThat(worker.entrypoint()).isEqualTo(WORKER_ENTRYPOINT);
        assertThat(worker.cmd()).as("the operator replaces it with run, send or schedule").containsExactly("run");
    }

    @Test
    void theExamplesImageExtendsTheWorkerImageOfTheSameVersion() {
        Dockerfile examples = Dockerfile.of(Image.EXAMPLES);
        assertThat(examples.base()).isEqualTo(Image.WORKER.reference());
        assertThat(examples.copies()).containsExactly(RUNTIME.get(0), RUNTIME.get(1),
                Dockerfile.Copy.fromStage("runtime", "/opt/streamback/streamback.jar", "/opt/streamback/streamback.jar"),
                new Dockerfile.Copy("examples/target/streamback-examples-" + Repo.version() + ".jar",
                        "/opt/streamback/lib/streamback-examples.jar"));
        assertThat(examples.entrypoint()).isEqualTo(WORKER_ENTRYPOINT);
        assertThat(examples.cmd()).containsExactly("run");
        assertThat(examples.user()).isEqualTo(Dockerfile.of(Image.WORKER).user());
    }

    @Test
    void theOperatorImageRunsTheOperatorsShadedJar() {
        Dockerfile operator = Dockerfile.of(Image.OPERATOR);
        assertThat(operator.copies()).containsExactly(RUNTIME.get(0), RUNTIME.get(1), new Dockerfile.Copy(
                "operator/target/streamback-operator-" + Repo.version() + "-all.jar",
                "/opt/streamback-operator/streamback-operator.jar"));
        assertThat(operator.entrypoint())
                .containsExactly("java", "-jar", "/opt/streamback-operator/streamback-operator.jar");
        assertThat(operator.cmd()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void everyImageCopiesOnlyBuildOutputsUnderOpt(Image image) {
        for (Dockerfile.Copy copy : Dockerfile.of(image).copies().stream().filter(copy -> copy.stage().isEmpty()).toList()) {
            assertThat(copy.destination()).startsWith("/opt/");
            String module = copy.source().substring(0, copy.source().indexOf('/'));
            assertThat(copy.source()).as("a module's build output").startsWith(module + "/target/");
            assertThat(Repo.path(module).resolve("pom.xml")).isRegularFile();
        }
    }

    /** BuildKit reads DOCKERFILE.dockerignore beside the Dockerfile: the context is the repository, less all but the jars. */
    @ParameterizedTest
    @EnumSource(Image.class)
    void everyImagesDockerignoreLetsThroughExactlyWhatItCopies(Image image) throws IOException {
        Path ignore = Path.of(image.dockerfilePath() + ".dockerignore");
        List<String> patterns = Files.readAllLines(ignore).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(patterns.get(0)).as("everything is ignored first").isEqualTo("*");
        List<PathMatcher> allowed = patterns.subList(1, patterns.size()).stream()
                .peek(pattern -> assertThat(pattern).startsWith("!"))
                .map(pattern -> FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(1))).toList();
        Set<String> copied = Dockerfile.of(image).contextSources();
        for (String source : copied) {
            assertThat(allowed).as(source).anyMatch(matcher -> matcher.matches(Path.of(source)));
        }
        assertThat(allowed).as("no pattern beyond the copied files").allMatch(matcher ->
                copied.stream().anyMatch(source -> matcher.matches(Path.of(source))));
    }

    @Test
    void theReaderRefusesWhatTheLayoutTestsCouldNotReproduce(@TempDir Path dir) throws IOException {
        Path run = Files.writeString(dir.resolve("Dockerfile"), "FROM eclipse-temurin:17-jre\nRUN useradd app\n");
        assertThatThrownBy(() -> Dockerfile.read(run, Map.of())).hasMessageContaining("RUN is not modelled");
        Path shell = Files.writeString(dir.resolve("Shell"), "FROM x\nENTRYPOINT java -jar app.jar\n");
        assertThatThrownBy(() -> Dockerfile.read(shell, Map.of())).hasMessageContaining("exec form");
        Path unknown = Files.writeString(dir.resolve("Unknown"), "FROM x\nCOPY a-${NOPE}.jar /opt/a.jar\n");
        assertThatThrownBy(() -> Dockerfile.read(unknown, Map.of())).hasMessageContaining("$NOPE is not defined");
        Path buildArg = Files.writeString(dir.resolve("Args"),
                "ARG V=1\nFROM x:$V\nARG V\nENV A=\"b c\" D=e\nCOPY a-${V}.jar b.jar /opt/x/\n");
        Dockerfile read = Dockerfile.read(buildArg, Map.of("V", "2"));
        assertThat(read.base()).isEqualTo("x:2");
        assertThat(read.env()).containsEntry("A", "b c").containsEntry("D", "e");
        assertThat(read.copies()).extracting(Dockerfile.Copy::target).containsExactly("/opt/x/a-2.jar", "/opt/x/b.jar");

        Path stages = Files.writeString(dir.resolve("Stages"), "ARG J=jdk\nFROM $J AS build\nCOPY tool /t\nRUN /t\n"
                + "FROM scratch\nCOPY --from=build /out/ /opt/\nCOPY app.jar /opt/app.jar\n");
        Dockerfile staged = Dockerfile.read(stages, Map.of());
        assertThat(staged.stages()).containsExactly(Map.entry("build", "jdk"));
        assertThat(staged.base()).isEqualTo("scratch");
        assertThat(staged.copies()).containsExactly(Dockerfile.Copy.fromStage("build", "/out/", "/opt/"),
                new Dockerfile.Copy("app.jar", "/opt/app.jar"));
        assertThat(staged.contextSources()).containsExactlyInAnyOrder("tool", "app.jar");
        Path twoStages = Files.writeString(dir.resolve("TwoStages"), "FROM jdk AS one\nENV E=1\nCOPY a /a\n"
                + "FROM jdk AS two\nCOPY b-$E /b\nFROM scratch\nCOPY --from=one /a /opt/a\n");
        assertThatThrownBy(() -> Dockerfile.read(twoStages, Map.of())).as("ENV stays in its stage")
                .hasMessageContaining("$E is not defined");
        Path unnamed = Files.writeString(dir.resolve("Unnamed"), "FROM jdk\nRUN true\nFROM scratch\n");
        assertThatThrownBy(() -> Dockerfile.read(unnamed, Map.of())).hasMessageContaining("needs a name");
        Path unknownStage = Files.writeString(dir.resolve("UnknownStage"), "FROM scratch\nCOPY --from=nope /a /opt/a\n");
        assertThatThrownBy(() -> Dockerfile.read(unknownStage, Map.of())).hasMessageContaining("no earlier build stage");
    }
}
