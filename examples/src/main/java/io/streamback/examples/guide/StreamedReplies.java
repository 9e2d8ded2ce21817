package io.streamback.examples.guide;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The snippets of the guide's section "2-way RPC with streamed replies" (docs/guide.md). */
final class StreamedReplies {
    private StreamedReplies() {
    }

    static void listener(Streamback streamback) {
        // tag::listener[]
        streamback.listen("test_hello_stream", (context, message) -> {
            for (int i = 0; i < 10; i++) {
                message.respond("Hello #" + i + " from the consumer!");
            }
        });
        // end::listener[]
    }

    static List<Optional<Reply<JsonNode>>> send(Streamback streamback) {
        // tag::send[]
        streamback.send("test_hello_stream", Map.of("something", "Hello world!"))
            .stream()
            .forEach(System.out::println);

        // OR
        FeedbackLane lane = streamback.send("test_hello_stream", Map.of("something", "Hello world!"));
        Optional<Reply<JsonNode>> message1 = lane.read();
        Optional<Reply<JsonNode>> message2 = lane.read();
        Optional<Reply<JsonNode>> message3 = lane.read();
        // end::send[]
        return List.of(message1, message2, message3);
    }
}
