package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import java.time.Duration;
import java.util.Optional;

/** The snippets of the guide's section "Mapping input and replies to classes" (docs/guide.md). */
final class MappingToClasses {
    private MappingToClasses() {
    }

    static Optional<?> mapping(Streamback streamback) {
        // tag::mapping[]
        record TestInput(String arg1, String arg2) {}
        record TestResponse(String arg1, String arg2) {}

        streamback.listen("test_input", (context, message) -> {
            TestInput input = message.map(TestInput.class);
            message.respond(new TestResponse(input.arg1(), input.arg2()));
        });

        Optional<Reply<TestResponse>> response = streamback
            .send("test_input", new TestInput("Hello world!", "Hello world!"))
            .read("main_app", Duration.ofSeconds(10), TestResponse.class);
        // end::mapping[]
        return response;
    }
}
