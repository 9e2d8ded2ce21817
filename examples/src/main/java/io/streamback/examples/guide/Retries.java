package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.listener.ListenerOptions;
import io.streamback.listener.Message;
import io.streamback.listener.RetryStrategy;
import java.io.IOException;
import java.time.Duration;

/** The snippets of the guide's section "Retries" (docs/guide.md). */
final class Retries {
    private Retries() {
    }

    static Streamback retries(Streamback streamback) {
        // tag::retries[]
        streamback.listen(ListenerOptions.topic("payments")
                .retry(RetryStrategy.times(3).backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5))
                    .retryOn(IOException.class)),
            (context, message) -> charge(message));

        // or for every listener that declares none:
        Streamback billing = Streamback.builder("billing")
            .streams("main=kafka://kafka:9092&feedback=redis://redis:6379")
            .retryStrategy(RetryStrategy.times(2).interval(Duration.ofSeconds(1)))
            .build();
        // end::retries[]
        return billing;
    }

    /** Charges the payment of the message; may fail with an IOException, which is retried. */
    private static void charge(Message message) throws IOException {
    }
}
