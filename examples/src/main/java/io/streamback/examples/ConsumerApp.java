package io.streamback.examples;

import io.streamback.Streamback;

/**
 * The Python README's consumer examples in Java: a one-way listener, an RPC reply and a
 * stream of replies. Run it with STREAMBACK_STREAMS set to a streams URL.
 */
public final class ConsumerApp {
    private ConsumerApp() {
    }

    /** Registers the example listeners on {@code streamback}. */
    public static Streamback register(Streamback streamback) {
        streamback.listen("test_hello", (context, message) ->
                System.out.println("received: " + message.value()));

        streamback.listen("test_hello_rpc", (context, message) ->
                message.respond("Hello from the consumer!"));

        streamback.listen("test_hello_stream", (context, message) -> {
            for (int i = 0; i < 10; i++) {
                message.respond("Hello #" + i + " from the consumer!");
            }
        });
        return streamback;
    }

    public static void main(String[] args) {
        Streamback streamback = register(Streamback.create("example_consumer_app", Env.streamsUrl()));
        Runtime.getRuntime().addShutdownHook(new Thread(streamback::close));
        streamback.start();
    }
}
