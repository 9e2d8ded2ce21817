package io.streamback.bench.scenario;

import io.streamback.bench.BenchContext;
import io.streamback.bench.Contender;
import io.streamback.bench.ListenerKind;
import io.streamback.bench.Side;
import io.streamback.bench.Sizes;
import io.streamback.bench.report.Figure;
import io.streamback.bench.report.ScenarioResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One request answered by many replies, read one by one at the producer until the end marker. */
final class StreamingScenario implements Scenario {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String id() {
        return "streaming";
    }

    @Override
    public ScenarioResult run(BenchContext context, int turn) throws Exception {
        Sizes sizes = context.sizes();
        Map<Side, List<Double>> rates = new EnumMap<>(Side.class);
        for (int round = 0; round < sizes.rounds(); round++) {
            for (Side side : Side.inTurn(turn + round)) {
                context.say("%s round %d/%d: %s, %d warm-up + %d replies", id(), round + 1, sizes.rounds(),
                        side.label(), sizes.streamWarmupReplies(), sizes.streamReplies());
                String topic = context.freshTopic(id(), 1);
                try (Contender contender = side.start(context, topic, ListenerKind.STREAM)) {
                    expect(sizes.streamWarmupReplies(), contender.stream(Payloads.streamRequest(sizes.streamWarmupReplies()), TIMEOUT));
                    long start = System.nanoTime();
                    long replies = contender.stream(Payloads.streamRequest(sizes.streamReplies()), TIMEOUT);
                    long elapsed = System.nanoTime() - start;
                    expect(sizes.streamReplies(), replies);
                    double rate = replies / (elapsed / 1e9);
                    context.say("  %s: %,.0f replies/s", side.label(), rate);
                    rates.computeIfAbsent(side, s -> new ArrayList<>()).add(rate);
                }
            }
        }
        Figure throughput = new Figure("replies at the producer", "replies/s", true,
                Scenario.median(rates.get(Side.STREAMBACK)), Scenario.median(rates.get(Side.BASELINE)));
        return new ScenarioResult(id(), "Streaming feedback",
                String.format("1 request x %,d replies per side and round, %d round(s)", sizes.streamReplies(), sizes.rounds()),
                throughput, List.of(throughput), List.of());
    }

    private static void expect(long expected, long replies) {
        if (replies != expected) {
            throw new IllegalStateException("expected " + expected + " replies, got " + replies);
        }
    }
}
