package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.listener.Concurrency;
import io.streamback.listener.ListenerOptions;

/** The snippets of the guide's section "Concurrent consumers" (docs/guide.md). */
final class ConcurrentConsumers {
    private ConcurrentConsumers() {
    }

    static void fixed(Streamback streamback) {
        // tag::fixed[]
        streamback.listen("test_hello", (context, message) -> { /* ... */ });

        streamback.listen(ListenerOptions.topic("test_hello").concurrency(2),
            (context, message) -> { /* ... */ });

        streamback.listen(ListenerOptions.topic("test_hello_2").concurrency(20),
            (context, message) -> { /* ... */ });
        // end::fixed[]
    }

    static void byLag(Streamback streamback) {
        // tag::by-lag[]
        streamback.listen(ListenerOptions.topic("orders")
                .concurrency(Concurrency.byLag()
                    .tier(0, 1)          // under 1,000 unread: 1 worker
                    .tier(1_000, 2)      // from 1,000: 2
                    .tier(10_000, 5)),   // from 10,000: 5
            (context, message) -> { /* ... */ });
        // end::by-lag[]
    }
}
