package io.streamback.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamback.StreambackApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's and the examples' files agree with the rest of the repository; no helm needed
 * (HelmChartTest renders the chart).
 */
class ChartFilesTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path CHART = Repo.path("helm/streamback-operator");

    @Test
    void theChartsCrdsAreTheRepositorysByteForByte() throws IOException {
        List<Path> repository = files(Repo.path("crds"));
        List<Path> chart = files(CHART.resolve("crds"));
        assertThat(chart).extracting(Path::getFileName).as("the same files")
                .containsExactlyElementsOf(repository.stream().map(Path::getFileName).toList());
        for (int i = 0; i < repository.size(); i++) {
            assertThat(Files.readAllBytes(chart.get(i)))
                    .as("%s differs from crds/: cp crds/*.yml helm/streamback-operator/crds/", chart.get(i))
                    .isEqualTo(Files.readAllBytes(repository.get(i)));
        }
        assertThat(repository).isNotEmpty();
    }

    @Test
    void theChartIsVersionedWithTheProject() throws IOException {
        JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
        assertThat(chart.path("name").asText()).isEqualTo("streamback-operator");
        assertThat(chart.path("version").asText()).isEqualTo(Repo.version());
        assertThat(chart.path("appVersion").asText()).isEqualTo(Repo.version());
    }

    @Test
    void theChartsDefaultImagesAreTheProjectsTaggedWithTheAppVersion() throws IOException {
        JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        assertThat(values.path("image").path("repository").asText()).isEqualTo(Image.OPERATOR.repository);
        assertThat(values.path("image").path("tag").asText()).as("empty: the appVersion").isEmpty();
        assertThat(values.path("workerImage").path("repository").asText()).isEqualTo(Image.WORKER.repository);
        assertThat(values.path("workerImage").path("tag").asText()).isEmpty();
    }

    @Test
    void theExampleManifestsRunTheExamplesImageAndItsApp() throws IOException {
        List<JsonNode> resources = new ArrayList<>();
        for (Path file : files(Repo.path("examples/k8s"))) {
            if (file.toString().endsWith(".yaml")) {
                resources.add(YAML.readTree(file.toFile()));
            }
        }
        List<JsonNode> specs = resources.stream().filter(r -> r.path("kind").asText().startsWith("Streamback"))
                .map(r -> r.path("spec")).toList();
        assertThat(specs).hasSizeGreaterThanOrEqualTo(4);
        List<String> images = specs.stream().map(spec -> spec.path("image").asText()).filter(i -> !i.isEmpty()).toList();
        assertThat(images).as("the image examples/Dockerfile builds").isNotEmpty()
                .allMatch(Image.EXAMPLES.reference()::equals);
        List<String> apps = specs.stream().flatMap(spec -> Stream.of(spec.path("env")).flatMap(env -> {
            List<String> values = new ArrayList<>();
            env.forEach(variable -> {
                if (variable.path("name").asText().equals("STREAMBACK_APP")) {
                    values.add(variable.path("value").asText());
                }
            });
            return values.stream();
        })).toList();
        assertThat(apps).isNotEmpty().allSatisfy(app ->
                assertThat(StreambackApp.class.isAssignableFrom(Class.forName(app)))
                        .as("%s is a StreambackApp of the examples jar", app).isTrue());
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
