package io.streamback.examples.guide;

import io.streamback.Streamback;

/** The snippets of the guide's section "SASL authentication" (docs/guide.md). */
final class Sasl {
    private Sasl() {
    }

    static Streamback sasl() {
        // tag::sasl[]
        Streamback streamback = Streamback.create(
            "example_producer_app",
            "main=kafka://user@1234:kafka:9092&feedback=redis://redis:6379");
        // end::sasl[]
        return streamback;
    }
}
