package io.streamback.packaging;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real helm binary, given by {@code -Dstreamback.helm=PATH} (profile helm; {@code .ci/helm-tools}
 * installs it). Its caches and configuration stay under packaging/target, and it sees no cluster.
 */
final class Helm {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path CHART = Repo.path("helm/streamback-operator");
    static final String RELEASE = "streamback-operator";
    static final String NAMESPACE = "streamback-system";

    record Result(int exitCode, String stdout, String stderr) {
        Result assertSuccess() {
            if (exitCode != 0) {
                fail("helm exited " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }
    }

    private final Path binary;

    private Helm(Path binary) {
        this.binary = binary;
    }

    /** The helm of -Dstreamback.helm; fails the test, saying how to get one, when there is none. */
    static Helm fromSystemProperty() {
        String path = System.getProperty("streamback.helm", "");
        if (path.isBlank()) {
            fail("No helm binary: the chart tests need -Dstreamback.helm=PATH, e.g. "
                    + "mvn -pl packaging -am -Phelm test -Dstreamback.helm=\"$(.ci/helm-tools)\" "
                    + "(.ci/helm-tools installs helm v4 under target/helm-tools and prints its path)");
        }
        Path binary = Path.of(path);
        if (!Files.isExecutable(binary)) {
            fail("-Dstreamback.helm=" + path + " is not an executable file: run .ci/helm-tools");
        }
        return new Helm(binary);
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Path home = Repo.scratch("helm-home");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        builder.environment().put("KUBECONFIG", home.resolve("no-cluster").toString());
        try {
            Path out = Files.createTempFile(home, "helm", ".out");
            Path err = Files.createTempFile(home, "helm", ".err");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("helm " + String.join(" ", args) + " did not finish in 60 s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code helm template} of the chart as release {@value #RELEASE} in {@value #NAMESPACE}, CRDs included, parsed. */
    List<JsonNode> template(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--namespace", NAMESPACE,
                "--include-crds"));
        args.addAll(List.of(extraArgs));
        return parse(run(args.toArray(String[]::new)).assertSuccess().stdout());
    }

    /** Every YAML document of {@code text} that is not empty. */
    static List<JsonNode> parse(String text) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && document.isObject() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }
}
