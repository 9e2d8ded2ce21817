package io.streamback.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Warms the harness JVM up once, on both sides, before any scenario. Both sides run the same
 * Kafka, Jedis and Jackson code; without this, whichever side ran the first round paid for
 * compiling it (the JIT compiler works on it for tens of seconds, on the same cores) in its
 * latencies, and the first round of the first scenario is always Streamback's. Two passes, in
 * alternating order, so that code compiled for one side and recompiled once the other ran it
 * (shared call sites that see both sides' types) settles before measuring too.
 */
final class JvmWarmup {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private JvmWarmup() {
    }

    static void run(BenchContext context) throws Exception {
        int calls = context.sizes().jvmWarmupCalls();
        if (calls == 0) {
            return;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (Side side : Side.inTurn(pass)) {
                warmUp(context, side, calls / 2);
            }
        }
    }

    private static void warmUp(BenchContext context, Side side, int calls) throws Exception {
        context.say("JVM warm-up: %s, %d calls and %d one-way records", side.label(), calls, calls);
        try (Contender contender = side.start(context, context.freshTopic("warmup", 1), ListenerKind.ECHO)) {
            for (int i = 0; i < calls; i++) {
                JsonNode value = JsonNodeFactory.instance.objectNode().put("seq", i);
                Optional<JsonNode> reply = contender.call(value, TIMEOUT);
                if (reply.isEmpty()) {
                    throw new IllegalStateException(side.label() + " did not answer warm-up call " + i);
                }
            }
            CompletableFuture<?> last = null;
            for (int i = 0; i < calls; i++) {
                last = contender.send(JsonNodeFactory.instance.objectNode().put("seq", i));
            }
            last.get();
            contender.awaitHandled(2L * calls, Duration.ofSeconds(60));
        }
    }
}
