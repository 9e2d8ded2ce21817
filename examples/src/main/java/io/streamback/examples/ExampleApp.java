package io.streamback.examples;

import io.streamback.Streamback;
import io.streamback.StreambackApp;
import io.streamback.callback.AutoRestart;
import io.streamback.callback.ListenerStats;
import java.time.Duration;

/**
 * The listener service of the examples: every example of the Python library's README, in Java.
 * The worker process finds it through META-INF/services, so
 * {@code STREAMBACK_STREAMS=... java -cp streamback.jar:examples.jar io.streamback.cli.StreambackCli run} runs it.
 */
public final class ExampleApp implements StreambackApp {
    @Override
    public String name() {
        return "example_consumer_app";
    }

    @Override
    public void configure(Streamback streamback) {
        // One-way: just consume.
        streamback.listen("test_hello", (context, message) ->
                System.out.println("received: " + message.value()));

        // RPC: one reply.
        streamback.listen("test_hello_rpc", (context, message) ->
                message.respond("Hello from the consumer!"));

        // Streaming RPC: several replies, then the end.
        streamback.listen("test_hello_stream", (context, message) -> {
            for (int i = 0; i < 10; i++) {
                message.respond("Hello #" + i + " from the consumer!");
            }
        });

        // Input mapping to a class, and input injection.
        streamback.register(new InputListeners());

        // A class-based consumer that batches and flushes.
        streamback.register(LogsConsumer.class);

        // Listeners kept in another class.
        streamback.includeRouter(SomeConsumers.router());

        // Callbacks and extensions.
        streamback.addCallback(new ExampleCallbacks())
                .addCallback(new ListenerStats(Duration.ofSeconds(60)))
                .addCallback(new AutoRestart(Duration.ofHours(6), 512));
    }
}
