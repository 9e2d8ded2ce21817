package io.streamback.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The results of one harness run: a Markdown table for people, JSON for tools. */
public record Report(String scale, boolean representative, Machine machine, String servers, String command,
                     Instant started, List<ScenarioResult> scenarios, List<String> failures) {

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("## Streamback for Java vs. hand-written kafka-clients + Jedis baseline\n\n");
        if (!representative) {
            out.append("**Scale `").append(scale).append("`: a smoke run, NOT representative.**\n\n");
        }
        out.append("- machine: ").append(machine).append('\n');
        out.append("- servers: ").append(servers).append('\n');
        out.append("- started: ").append(started).append('\n');
        out.append("- command: `").append(command).append("`\n\n");
        out.append("| scenario | figure | Streamback | baseline | ratio (SB / baseline) |\n");
        out.append("| --- | --- | ---: | ---: | ---: |\n");
        for (ScenarioResult scenario : scenarios) {
            boolean first = true;
            for (Figure figure : scenario.figures()) {
                out.append("| ").append(first ? scenario.title() + " (" + scenario.size() + ")" : "")
                        .append(" | ").append(figure.name())
                        .append(" | ").append(format(figure.streamback())).append(' ').append(figure.unit())
                        .append(" | ").append(format(figure.baseline())).append(' ').append(figure.unit())
                        .append(" | ").append(figure.ratio() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", figure.ratio()))
                        .append(" |\n");
                first = false;
            }
        }
        List<TargetCheck> targets = scenarios.stream().flatMap(s -> s.targets().stream()).toList();
        if (!targets.isEmpty()) {
            out.append("\n| target | this run | met |\n| --- | ---: | --- |\n");
            for (TargetCheck target : targets) {
                out.append("| ").append(target.target()).append(" | ").append(target.measured())
                        .append(" | ").append(target.met() ? "yes" : "**no**").append(" |\n");
            }
        }
        if (!failures.isEmpty()) {
            out.append("\nFailed scenarios:\n");
            failures.forEach(failure -> out.append("- ").append(failure).append('\n'));
        }
        return out.toString();
    }

    /** One object per scenario: its headline figure for both sides and their ratio, then every figure and target. */
    public void writeJson(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("scale", scale);
        root.put("representative", representative);
        root.put("started", started.toString());
        root.put("command", command);
        root.put("servers", servers);
        ObjectNode machineNode = root.putObject("machine");
        machineNode.put("cores", machine.cores());
        machineNode.put("cpu", machine.cpu());
        machineNode.put("memory", machine.memory());
        machineNode.put("os", machine.os());
        machineNode.put("java", machine.java());
        ArrayNode scenarioNodes = root.putArray("scenarios");
        for (ScenarioResult scenario : scenarios) {
            ObjectNode node = scenarioNodes.addObject();
            node.put("scenario", scenario.id());
            node.put("title", scenario.title());
            node.put("size", scenario.size());
            node.put("metric", scenario.headline().name());
            node.put("unit", scenario.headline().unit());
            node.put("streamback", scenario.headline().streamback());
            node.put("baseline", scenario.headline().baseline());
            node.put("ratio", scenario.headline().ratio());
            ArrayNode figures = node.putArray("figures");
            for (Figure figure : scenario.figures()) {
                ObjectNode figureNode = figures.addObject();
                figureNode.put("metric", figure.name());
                figureNode.put("unit", figure.unit());
                figureNode.put("higher_is_better", figure.higherIsBetter());
                figureNode.put("streamback", figure.streamback());
                figureNode.put("baseline", figure.baseline());
                figureNode.put("ratio", figure.ratio());
            }
            ArrayNode targets = node.putArray("targets");
            for (TargetCheck target : scenario.targets()) {
                targets.addObject().put("target", target.target()).put("measured", target.measured()).put("met", target.met());
            }
        }
        ArrayNode failureNodes = root.putArray("failures");
        failures.forEach(failureNodes::add);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        json.writeValue(file.toFile(), root);
    }

    /** Three significant figures or so: 0.912, 12.3, 4,567. */
    public static String format(double value) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
