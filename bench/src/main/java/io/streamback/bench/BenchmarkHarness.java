package io.streamback.bench;

import io.streamback.bench.report.Machine;
import io.streamback.bench.report.Report;
import io.streamback.bench.report.ScenarioResult;
import io.streamback.bench.scenario.Scenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs every benchmark scenario against Streamback and against a hand-written kafka-clients +
 * Jedis baseline, on the same servers and in the same run, interleaved; prints a Markdown table
 * and writes JSON. See {@code docs/benchmarks.md}.
 */
@Command(name = "streamback-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Streamback side by side with a hand-written kafka-clients + Jedis baseline.")
public final class BenchmarkHarness implements Callable<Integer> {

    /** The two preset sizes. */
    public enum Scale { tiny, full }

    @Option(names = "--scale", description = "tiny (CI smoke run, not representative) or full (default: ${DEFAULT-VALUE})")
    Scale scale = Scale.full;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON to FILE")
    Path json;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "use this Kafka broker instead of starting the testkit's")
    String kafka;

    @Option(names = "--redis", paramLabel = "HOST:PORT", description = "use this Redis server instead of starting the testkit's")
    String redis;

    @Option(names = "--feedback", paramLabel = "single|sentinel|cluster",
            description = "Streamback's feedback stream: the testkit's Redis, or a Sentinel setup or cluster started "
                    + "beside it; the baseline always uses the single Redis (default: ${DEFAULT-VALUE})")
    String feedback = "single";

    @Option(names = "--scenarios", split = ",", paramLabel = "ID",
            description = "run only these: rpc-sequential, rpc-concurrent, one-way, streaming, memory (default: all)")
    List<String> scenarioIds;

    @Option(names = "--jvm-warmup", paramLabel = "N",
            description = "RPC calls and one-way records each side makes once before the scenarios, so that neither "
                    + "runs its first round in a cold JVM")
    Integer jvmWarmup;

    @Option(names = "--rounds", description = "runs per side and scenario, interleaved")
    Integer rounds;

    @Option(names = "--rpc-warmup", description = "sequential RPC warm-up calls per run")
    Integer rpcWarmup;

    @Option(names = "--rpc-calls", description = "measured sequential RPC calls per run")
    Integer rpcCalls;

    @Option(names = "--callers", description = "concurrent RPC callers")
    Integer callers;

    @Option(names = "--concurrent-calls", description = "measured concurrent RPC calls per run")
    Integer concurrentCalls;

    @Option(names = "--one-way-warmup", description = "one-way warm-up records per run")
    Integer oneWayWarmup;

    @Option(names = "--one-way-records", description = "measured one-way records per run")
    Integer oneWayRecords;

    @Option(names = "--stream-replies", description = "replies to the measured streaming request")
    Integer streamReplies;

    @Option(names = "--memory-workers", split = ",", paramLabel = "N",
            description = "consumer worker counts of the memory scenario, e.g. 1,16")
    List<Integer> memoryWorkers;

    @Option(names = "--memory-load-records", description = "records sent to a worker process under load")
    Integer memoryLoadRecords;

    @Option(names = "--memory-settle-seconds", description = "idle time of a worker process before its idle RSS is read")
    Integer memorySettleSeconds;

    @Option(names = "--tracing", description = "the Streamback side's OpenTelemetry: off (no SDK), or sdk (every span "
            + "recorded, batched and exported to nowhere) (default: ${DEFAULT-VALUE})")
    BenchTracing.Mode tracing = BenchTracing.Mode.off;

    @Option(names = "--worker-jvm-opts", paramLabel = "OPTIONS",
            description = "JVM options of the memory scenario's worker processes (default: ${DEFAULT-VALUE})")
    String workerJvmOptions = "-Xmx256m";

    @Option(names = "--servers-jvm-opts", paramLabel = "OPTIONS",
            description = "JVM options of the testkit servers' process (default: ${DEFAULT-VALUE})")
    String serversJvmOptions = "-Xmx1g";

    private final PrintStream out;
    private final PrintStream progress;
    private final String[] args;

    BenchmarkHarness(PrintStream out, PrintStream progress, String[] args) {
        this.out = out;
        this.progress = progress;
        this.args = args;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the harness; returns the process exit code (0 when every scenario produced figures). */
    public static int run(PrintStream out, PrintStream progress, String... args) {
        return new CommandLine(new BenchmarkHarness(out, progress, args)).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if ((kafka == null) != (redis == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give both --kafka and --redis, or neither");
        }
        if (!List.of("single", "sentinel", "cluster").contains(feedback) || kafka != null && !feedback.equals("single")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--feedback is single, sentinel or cluster; "
                    + "sentinel and cluster start their own servers, so not with --kafka and --redis");
        }
        Sizes sizes = sizes();
        List<Scenario> scenarios = selectedScenarios();
        Instant started = Instant.now();
        List<ScenarioResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String serversDescription;
        progress.println("[bench] starting " + (kafka == null ? "the testkit's Kafka and Redis" : "on " + kafka + " and " + redis));
        try (Servers servers = kafka == null ? Servers.startTestkit(serversJvmOptions, feedback) : Servers.given(kafka, redis);
             BenchTracing benchTracing = new BenchTracing(tracing)) {
            serversDescription = servers.description();
            BenchContext context = new BenchContext(servers, sizes, workerJvmOptions, benchTracing, progress);
            JvmWarmup.run(context);
            for (int turn = 0; turn < scenarios.size(); turn++) {
                Scenario scenario = scenarios.get(turn);
                long start = System.nanoTime();
                try {
                    results.add(scenario.run(context, turn));
                    context.say("%s done in %d s", scenario.id(), Duration.ofNanos(System.nanoTime() - start).toSeconds());
                } catch (Exception e) {
                    failures.add(scenario.id() + ": " + e);
                    e.printStackTrace(progress);
                }
            }
            if (tracing == BenchTracing.Mode.sdk) {
                context.say("tracing: %,d spans exported", benchTracing.exportedSpans());
            }
        }
        Report report = new Report(scale.name(), scale == Scale.full, Machine.current(), serversDescription,
                commandLine(), started, results, failures);
        out.println(report.markdown());
        out.flush();
        if (json != null) {
            report.writeJson(json);
            progress.println("[bench] JSON written to " + json.toAbsolutePath());
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private Sizes sizes() {
        Sizes preset = scale == Scale.full ? Sizes.full() : Sizes.tiny();
        return new Sizes(
                or(jvmWarmup, preset.jvmWarmupCalls()),
                or(rounds, preset.rounds()),
                or(rpcWarmup, preset.rpcWarmup()),
                or(rpcCalls, preset.rpcCalls()),
                or(callers, preset.callers()),
                or(concurrentCalls, preset.concurrentCalls()),
                or(oneWayWarmup, preset.oneWayWarmup()),
                or(oneWayRecords, preset.oneWayRecords()),
                Math.min(preset.streamWarmupReplies(), or(streamReplies, preset.streamReplies())),
                or(streamReplies, preset.streamReplies()),
                memoryWorkers == null ? preset.memoryWorkers() : memoryWorkers,
                or(memoryLoadRecords, preset.memoryLoadRecords()),
                memorySettleSeconds == null ? preset.memorySettle() : Duration.ofSeconds(memorySettleSeconds));
    }

    private List<Scenario> selectedScenarios() {
        List<Scenario> all = Scenario.all();
        if (scenarioIds == null || scenarioIds.isEmpty()) {
            return all;
        }
        Set<String> known = all.stream().map(Scenario::id).collect(Collectors.toSet());
        for (String id : scenarioIds) {
            if (!known.contains(id)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown scenario '" + id + "'; known: " + String.join(", ", all.stream().map(Scenario::id).toList()));
            }
        }
        return all.stream().filter(scenario -> scenarioIds.contains(scenario.id())).toList();
    }

    private String commandLine() {
        return ("streamback-bench " + String.join(" ", args)).trim();
    }

    private static int or(Integer given, int preset) {
        return given == null ? preset : given;
    }
}
