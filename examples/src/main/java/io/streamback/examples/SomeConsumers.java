package io.streamback.examples;

import io.streamback.listener.Router;

/** Listeners kept apart from the app, collected by a router. */
final class SomeConsumers {
    private SomeConsumers() {
    }

    static Router router() {
        return new Router()
                .listen("test_router_hello", (context, message) ->
                        message.respond("Hello from the router!"));
    }
}
