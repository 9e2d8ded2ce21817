package io.streamback.examples.guide;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The snippets of the guide's section "Reading asynchronously, and resuming a lane elsewhere" (docs/guide.md). */
final class AsyncReading {
    private AsyncReading() {
    }

    static FeedbackLane readAsyncAndResume(Streamback streamback, Streamback otherStreamback, Object value) {
        // tag::async[]
        FeedbackLane lane = streamback.send("test_hello_stream", value);
        CompletableFuture<Optional<Reply<JsonNode>>> reply = lane.readAsync();

        // The feedback topic alone is enough to pick the replies up again, e.g. in another process,
        // within the feedback TTL (300 s):
        String feedbackTopic = lane.feedbackTopic();
        FeedbackLane resumed = otherStreamback.continueStream(feedbackTopic);
        // end::async[]
        reply.cancel(false);
        return resumed;
    }
}
