package io.streamback.examples.guide;

import io.streamback.Streamback;
import java.util.Map;

/** The snippets of the guide's section "One-way stream" (docs/guide.md). */
final class OneWayStream {
    private OneWayStream() {
    }

    static void consumer() {
        // tag::consumer[]
        Streamback streamback = Streamback.create(
            "example_consumer_app",
            "main=kafka://kafka:9092&feedback=redis://redis:6379");

        streamback.listen("test_hello", (context, message) ->
            System.out.println("received: " + message.value()));

        streamback.start(); // blocks until close()
        // end::consumer[]
    }

    static void producer() {
        // tag::producer[]
        try (Streamback streamback = Streamback.create(
                "example_producer_app",
                "main=kafka://kafka:9092&feedback=redis://redis:6379")) {
            streamback.send("test_hello", Map.of("something", "Hello world!"));
        }
        // end::producer[]
    }
}
