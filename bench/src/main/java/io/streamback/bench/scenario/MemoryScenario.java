package io.streamback.bench.scenario;

import io.streamback.bench.BenchContext;
import io.streamback.bench.ChildJvm;
import io.streamback.bench.MemoryWorkerMain;
import io.streamback.bench.Rss;
import io.streamback.bench.Side;
import io.streamback.bench.Sizes;
import io.streamback.bench.baseline.BaselineClient;
import io.streamback.bench.report.Figure;
import io.streamback.bench.report.ScenarioResult;
import io.streamback.bench.report.TargetCheck;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.function.ToDoubleFunction;

/**
 * Resident memory of a worker process (a child JVM running {@link MemoryWorkerMain}) with a few
 * consumer worker counts: idle, once its workers have their partitions and it has sat for a
 * while, and the most seen while it consumes a burst of records; and how long it took from the
 * process's start until its workers had their partitions. The difference between the
 * largest and the smallest count, over the number of extra workers, is the memory per worker.
 */
final class MemoryScenario implements Scenario {
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(50);

    /** RSS in MiB of one worker process (idle: also its anonymous part), and seconds from its start to ready. */
    private record Measurement(double idle, double idleAnonymous, double underLoad, double ready) {
    }

    @Override
    public String id() {
        return "memory";
    }

    @Override
    public ScenarioResult run(BenchContext context, int turn) throws Exception {
        Sizes sizes = context.sizes();
        List<Integer> counts = sizes.memoryWorkers();
        Map<Side, Map<Integer, Measurement>> measured = new EnumMap<>(Side.class);
        try (BaselineClient load = new BaselineClient(context.servers().bootstrapServers(), context.servers().redis(), 1,
                Testkit.uniqueName("bench-load"))) {
            for (int i = 0; i < counts.size(); i++) {
                int workers = counts.get(i);
                for (Side side : Side.inTurn(turn + i)) {
                    context.say("%s: %s worker process with %d consumer worker(s), %d records of load", id(),
                            side.label(), workers, sizes.memoryLoadRecords());
                    measured.computeIfAbsent(side, s -> new TreeMap<>())
                            .put(workers, measure(context, load, side, workers));
                }
            }
        }
        int fewest = counts.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int most = sizes.maxMemoryWorkers();
        List<Figure> figures = new ArrayList<>();
        for (int workers : counts.stream().sorted().distinct().toList()) {
            figures.add(new Figure("RSS idle, " + workers + " worker(s)", "MB", false,
                    measured.get(Side.STREAMBACK).get(workers).idle(), measured.get(Side.BASELINE).get(workers).idle()));
            figures.add(new Figure("RSS idle, anonymous, " + workers + " worker(s)", "MB", false,
                    measured.get(Side.STREAMBACK).get(workers).idleAnonymous(),
                    measured.get(Side.BASELINE).get(workers).idleAnonymous()));
            figures.add(new Figure("RSS under load, " + workers + " worker(s)", "MB", false,
                    measured.get(Side.STREAMBACK).get(workers).underLoad(), measured.get(Side.BASELINE).get(workers).underLoad()));
            figures.add(new Figure("start to ready, " + workers + " worker(s)", "s", false,
                    measured.get(Side.STREAMBACK).get(workers).ready(), measured.get(Side.BASELINE).get(workers).ready()));
        }
        Figure perWorkerIdle = new Figure("per extra worker, idle", "MB", false,
                perWorker(measured.get(Side.STREAMBACK), fewest, most, Measurement::idle),
                perWorker(measured.get(Side.BASELINE), fewest, most, Measurement::idle));
        Figure perWorkerLoad = new Figure("per extra worker, under load", "MB", false,
                perWorker(measured.get(Side.STREAMBACK), fewest, most, Measurement::underLoad),
                perWorker(measured.get(Side.BASELINE), fewest, most, Measurement::underLoad));
        figures.add(perWorkerIdle);
        figures.add(perWorkerLoad);
        return new ScenarioResult(id(), "Worker process memory (RSS)",
                String.format("%s consumer workers, %,d records of load, JVM options '%s'",
                        counts, sizes.memoryLoadRecords(), context.workerJvmOptions()),
                perWorkerLoad, figures,
                List.of(TargetCheck.atMost("RSS per extra consumer worker, idle <= 8 MB", perWorkerIdle, 8),
                        TargetCheck.atMost("RSS per extra consumer worker, under load <= 8 MB", perWorkerLoad, 8)));
    }

    private static double perWorker(Map<Integer, Measurement> bySize, int fewest, int most,
                                    ToDoubleFunction<Measurement> figure) {
        return (figure.applyAsDouble(bySize.get(most)) - figure.applyAsDouble(bySize.get(fewest))) / (most - fewest);
    }

    private Measurement measure(BenchContext context, BaselineClient load, Side side, int workers) throws Exception {
        Sizes sizes = context.sizes();
        String topic = context.freshTopic(id(), sizes.maxMemoryWorkers());
        String group = Testkit.uniqueName("bench-memory-" + side.name().toLowerCase());
        long started = System.nanoTime();
        try (ChildJvm worker = ChildJvm.start("memory-" + side.name().toLowerCase() + "-" + workers,
                context.workerJvmOptions(), MemoryWorkerMain.class, side.name(), Integer.toString(workers),
                context.servers().bootstrapServers(), context.servers().redis().toString(), topic, group)) {
            worker.awaitLine("READY", Duration.ofSeconds(180));
            double ready = (System.nanoTime() - started) / 1e9;
            context.say("%s: worker process %d ready", id(), worker.pid());
            Thread.sleep(sizes.memorySettle().toMillis());
            double[] idle = new double[5];
            double[] idleAnonymous = new double[idle.length];
            for (int i = 0; i < idle.length; i++) {
                idle[i] = Rss.mebibytes(worker.pid());
                idleAnonymous[i] = Rss.anonymousMebibytes(worker.pid());
                Thread.sleep(100);
            }
            Arrays.sort(idle);
            Arrays.sort(idleAnonymous);

            DoubleAccumulator peak = new DoubleAccumulator(Math::max, 0);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            try {
                sampler.scheduleAtFixedRate(() -> peak.accumulate(Rss.mebibytes(worker.pid())),
                        0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                CompletableFuture<?>[] acks = new CompletableFuture<?>[sizes.memoryLoadRecords()];
                for (int i = 0; i < acks.length; i++) {
                    acks[i] = load.send(topic, Payloads.numbered(i));
                }
                CompletableFuture.allOf(acks).join();
                context.servers().awaitCommitted(group, topic, sizes.memoryLoadRecords(), Duration.ofMinutes(5));
            } finally {
                sampler.shutdownNow();
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            }
            context.say("%s: load consumed and committed; stopping worker process %d", id(), worker.pid());
            return new Measurement(idle[idle.length / 2], idleAnonymous[idle.length / 2], peak.get(), ready);
        }
    }
}
