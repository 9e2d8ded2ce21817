package io.streamback.examples.guide;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The snippets of the guide's section "2-way RPC-like communication" (docs/guide.md). */
final class RpcExamples {
    private RpcExamples() {
    }

    static void listener(Streamback streamback) {
        // tag::listener[]
        streamback.listen("test_hello_stream", (context, message) ->
            message.respond("Hello from the consumer!"));
        // end::listener[]
    }

    static Optional<Reply<JsonNode>> send(Streamback streamback) {
        // tag::send[]
        Optional<Reply<JsonNode>> message = streamback
            .send("test_hello_stream", Map.of("something", "Hello world!"))
            .read(Duration.ofSeconds(10));
        // end::send[]
        return message;
    }
}
