package io.streamback.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamback.bench.scenario.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the harness working: a tiny run of every scenario against the testkit. It checks that
 * each scenario produced figures for both sides and that the JSON is well-formed, never what the
 * figures are: timings on a shared CI machine mean nothing.
 */
class BenchmarkHarnessTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tinyRunProducesEveryScenarioAsMarkdownAndJson() throws Exception {
        Path json = Path.of("target", "bench-tiny.json");
        Files.deleteIfExists(json);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();

        // Child JVMs tuned to start fast rather than run fast: only the code paths matter here.
        String fastStart = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto";
        int exitCode = BenchmarkHarness.run(new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err,
                "--scale", "tiny", "--json", json.toString(),
                "--servers-jvm-opts", "-Xmx512m " + fastStart, "--worker-jvm-opts", "-Xmx128m " + fastStart);

        String markdown = stdout.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).as("exit code; stdout:%n%s", markdown).isZero();
        assertThat(markdown).contains("| scenario | figure | Streamback | baseline | ratio (SB / baseline) |", "NOT representative");

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("scale").asText()).isEqualTo("tiny");
        assertThat(report.path("failures")).isEmpty();
        List<String> ids = new ArrayList<>();
        for (JsonNode scenario : report.path("scenarios")) {
            ids.add(scenario.path("scenario").asText());
            assertThat(scenario.path("streamback").isNumber()).as("%s streamback", scenario).isTrue();
            assertThat(scenario.path("baseline").isNumber()).as("%s baseline", scenario).isTrue();
            assertThat(scenario.has("ratio")).as("%s ratio", scenario).isTrue();
            assertThat(scenario.path("figures")).as("%s figures", scenario).isNotEmpty();
            for (JsonNode figure : scenario.path("figures")) {
                assertThat(figure.path("metric").asText()).isNotBlank();
                assertThat(figure.path("streamback").isNumber()).as("%s", figure).isTrue();
                assertThat(figure.path("baseline").isNumber()).as("%s", figure).isTrue();
            }
            assertThat(markdown).contains(scenario.path("title").asText());
        }
        assertThat(ids).containsExactlyElementsOf(Scenario.all().stream().map(Scenario::id).toList());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void withTracingTheStreambackSideRecordsSpans() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        String fastStart = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto";
        int exitCode = BenchmarkHarness.run(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8),
                "--scale", "tiny", "--scenarios", "rpc-sequential", "--tracing", "sdk", "--jvm-warmup", "0",
                "--servers-jvm-opts", "-Xmx512m " + fastStart);

        String said = progress.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).as("exit code; progress:%n%s", said).isZero();
        // Each call of the scenario, warm-up or measured: a send, a listener, an end-marker and a read span (no JVM warm-up).
        Sizes tiny = Sizes.tiny();
        Matcher spans = Pattern.compile("tracing: ([0-9,]+) spans exported").matcher(said);
        assertThat(spans.find()).as(said).isTrue();
        assertThat(Long.parseLong(spans.group(1).replace(",", "")))
                .isEqualTo(4L * tiny.rounds() * (tiny.rpcWarmup() + tiny.rpcCalls()));
    }
}
