package io.streamback.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Python README's producer examples in Java: a one-way message, an RPC and a streaming
 * RPC, each printed with its round-trip time. Run it with STREAMBACK_STREAMS set.
 */
public final class ProducerApp {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ProducerApp() {
    }

    /** Sends the three example messages and prints what comes back. */
    public static void run(Streamback streamback, PrintStream out) throws Exception {
        long start = System.nanoTime();
        streamback.send("test_hello", Map.of("something", "Hello world!")).sent().get();
        out.printf("one-way   test_hello         sent in %6.1f ms%n", millisSince(start));

        start = System.nanoTime();
        Optional<JsonNode> reply = streamback.send("test_hello_rpc", Map.of("something", "Hello world!")).read(TIMEOUT);
        out.printf("rpc       test_hello_rpc     %6.1f ms  reply: %s%n", millisSince(start), reply.orElse(null));

        long streamStart = System.nanoTime();
        streamback.send("test_hello_stream", Map.of("something", "Hello world!")).stream(TIMEOUT)
                .forEach(message -> out.printf("stream    test_hello_stream  %6.1f ms  reply: %s%n",
                        millisSince(streamStart), message));
    }

    public static void main(String[] args) throws Exception {
        try (Streamback streamback = Streamback.create("example_producer_app", Env.streamsUrl())) {
            run(streamback, System.out);
        }
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
