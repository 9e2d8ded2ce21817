package io.streamback.bench;

import io.streamback.bench.baseline.BaselineContender;
import java.util.List;

/** Streamback, or the hand-written kafka-clients + Jedis baseline. */
public enum Side {
    STREAMBACK("Streamback"),
    BASELINE("baseline");

    private final String label;

    Side(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Starts this side's listener of {@code kind} on {@code topic} (which exists) and its producer. */
    public Contender start(BenchContext context, String topic, ListenerKind kind) throws Exception {
        long start = System.nanoTime();
        Contender contender = switch (this) {
            case STREAMBACK -> StreambackContender.start(context, topic, kind);
            case BASELINE -> BaselineContender.start(context, topic, kind);
        };
        context.say("  %s listener has its partitions after %d ms", label, (System.nanoTime() - start) / 1_000_000);
        return contender;
    }

    /** Both sides, in the order of run {@code turn}: alternating, so neither always goes first. */
    public static List<Side> inTurn(int turn) {
        return turn % 2 == 0 ? List.of(STREAMBACK, BASELINE) : List.of(BASELINE, STREAMBACK);
    }
}
