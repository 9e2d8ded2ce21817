package io.streamback.bench.scenario;

import io.streamback.bench.BenchContext;
import io.streamback.bench.Contender;
import io.streamback.bench.ListenerKind;
import io.streamback.bench.Side;
import io.streamback.bench.Sizes;
import io.streamback.bench.report.Figure;
import io.streamback.bench.report.ScenarioResult;
import io.streamback.bench.report.TargetCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One-way records through a no-op listener (one consumer, one-partition topic), sent as fast as
 * the side's producer takes them while the listener consumes. End to end: from the first send to
 * the listener having handled the last record; afterwards the group's committed offsets must
 * reach the end (at-least-once commits), which is checked but not timed.
 */
final class OneWayScenario implements Scenario {
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String id() {
        return "one-way";
    }

    @Override
    public ScenarioResult run(BenchContext context, int turn) throws Exception {
        Sizes sizes = context.sizes();
        Map<Side, List<Double>> endToEnd = new EnumMap<>(Side.class);
        Map<Side, List<Double>> sending = new EnumMap<>(Side.class);
        for (int round = 0; round < sizes.rounds(); round++) {
            for (Side side : Side.inTurn(turn + round)) {
                context.say("%s round %d/%d: %s, %d warm-up + %d records", id(), round + 1, sizes.rounds(),
                        side.label(), sizes.oneWayWarmup(), sizes.oneWayRecords());
                String topic = context.freshTopic(id(), 1);
                try (Contender contender = side.start(context, topic, ListenerKind.NOOP)) {
                    send(contender, 0, sizes.oneWayWarmup());
                    contender.awaitHandled(sizes.oneWayWarmup(), DRAIN_TIMEOUT);

                    long start = System.nanoTime();
                    CompletableFuture<?>[] acks = send(contender, sizes.oneWayWarmup(), sizes.oneWayRecords());
                    CompletableFuture.allOf(acks).join();
                    long sent = System.nanoTime() - start;
                    long total = (long) sizes.oneWayWarmup() + sizes.oneWayRecords();
                    contender.awaitHandled(total, DRAIN_TIMEOUT);
                    long handled = System.nanoTime() - start;

                    context.servers().awaitCommitted(contender.group(), topic, total, Duration.ofSeconds(60));
                    double endToEndRate = sizes.oneWayRecords() / (handled / 1e9);
                    double sendingRate = sizes.oneWayRecords() / (sent / 1e9);
                    context.say("  %s: %,.0f records/s end to end, %,.0f at the producer", side.label(), endToEndRate,
                            sendingRate);
                    endToEnd.computeIfAbsent(side, s -> new ArrayList<>()).add(endToEndRate);
                    sending.computeIfAbsent(side, s -> new ArrayList<>()).add(sendingRate);
                }
            }
        }
        Figure throughput = new Figure("end-to-end", "records/s", true,
                Scenario.median(endToEnd.get(Side.STREAMBACK)), Scenario.median(endToEnd.get(Side.BASELINE)));
        Figure producer = new Figure("producer (sent and acked)", "records/s", true,
                Scenario.median(sending.get(Side.STREAMBACK)), Scenario.median(sending.get(Side.BASELINE)));
        return new ScenarioResult(id(), "One-way, no-op listener",
                String.format("%,d records per side and round, %d round(s)", sizes.oneWayRecords(), sizes.rounds()),
                throughput, List.of(throughput, producer),
                List.of(TargetCheck.ratioAtLeast("one-way throughput >= 0.5x baseline", throughput, 0.5),
                        TargetCheck.atLeast("one-way throughput >= 20,000 records/s", throughput, 20_000)));
    }

    private static CompletableFuture<?>[] send(Contender contender, long first, int count) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            acks[i] = contender.send(Payloads.numbered(first + i));
        }
        return acks;
    }
}
