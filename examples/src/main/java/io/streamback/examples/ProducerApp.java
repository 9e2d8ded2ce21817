package io.streamback.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.examples.InputListeners.TestInput;
import io.streamback.feedback.Reply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The producer side of the examples: sends to each of {@link ExampleApp}'s listeners and prints
 * what comes back with its round-trip time. Run it with STREAMBACK_STREAMS set.
 */
public final class ProducerApp {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ProducerApp() {
    }

    /** Sends the example messages and prints what comes back. */
    public static void run(Streamback streamback, PrintStream out) throws Exception {
        long start = System.nanoTime();
        streamback.send("test_hello", Map.of("something", "Hello world!")).sent().get();
        out.printf("one-way   test_hello            sent in %6.1f ms%n", millisSince(start));

        start = System.nanoTime();
        Optional<Reply<JsonNode>> reply = streamback.send("test_hello_rpc", Map.of("something", "Hello world!")).read(TIMEOUT);
        out.printf("rpc       test_hello_rpc        %6.1f ms  reply: %s%n", millisSince(start), shown(reply));

        long streamStart = System.nanoTime();
        streamback.send("test_hello_stream", Map.of("something", "Hello world!")).stream(TIMEOUT)
                .forEach(message -> out.printf("stream    test_hello_stream     %6.1f ms  reply: %s%n",
                        millisSince(streamStart), message.value()));

        start = System.nanoTime();
        Optional<Reply<TestInput>> mapped = streamback.send("test_input", new TestInput("Hello world!", "Hello again!"))
                .read(null, TIMEOUT, TestInput.class);
        out.printf("mapped    test_input            %6.1f ms  reply: %s%n", millisSince(start), shown(mapped));

        start = System.nanoTime();
        Optional<Reply<String>> injected = streamback.send("test_input_injection", Map.of("arg1", "Hello", "arg2", "world!"))
                .read(null, TIMEOUT, String.class);
        out.printf("injected  test_input_injection  %6.1f ms  reply: %s%n", millisSince(start), shown(injected));

        start = System.nanoTime();
        Optional<Reply<JsonNode>> routed = streamback.send("test_router_hello", Map.of()).read(TIMEOUT);
        out.printf("router    test_router_hello     %6.1f ms  reply: %s%n", millisSince(start), shown(routed));

        for (int i = 0; i < 3; i++) {
            streamback.send("new_log", Map.of("line", "log line " + i));
        }
        out.println("one-way   new_log               3 lines sent (the consumer flushes them in a batch)");
    }

    public static void main(String[] args) throws Exception {
        String streams = System.getenv("STREAMBACK_STREAMS");
        if (streams == null || streams.isBlank()) {
            System.err.println("Set STREAMBACK_STREAMS, e.g. main=kafka://localhost:9092&feedback=redis://localhost:6379");
            System.exit(2);
        }
        try (Streamback streamback = Streamback.create("example_producer_app", streams)) {
            run(streamback, System.out);
        }
    }

    /** The reply's value ("null" for a null reply), or that the listeners finished without one. */
    private static String shown(Optional<? extends Reply<?>> reply) {
        return reply.map(r -> String.valueOf(r.value())).orElse("(none, the listeners finished)");
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
