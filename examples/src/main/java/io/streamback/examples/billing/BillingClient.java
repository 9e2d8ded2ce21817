package io.streamback.examples.billing;

import io.streamback.Streamback;
import java.time.Duration;

/** A producer built with the builder: the docs' configuration example. */
final class BillingClient {
    private BillingClient() {
    }

    static Streamback create() {
        // tag::builder[]
        Streamback streamback = Streamback.builder("billing")
            .streams("main=kafka://kafka:9092&feedback=redis://redis:6379")
            .feedbackTimeout(Duration.ofSeconds(10))
            .build();
        // end::builder[]
        return streamback;
    }
}
