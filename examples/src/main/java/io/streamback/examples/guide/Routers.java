package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.listener.Router;

/** The snippets of the guide's section "Router" (docs/guide.md). */
final class Routers {
    private Routers() {
    }

    static void router(Streamback streamback) {
        // tag::router[]
        Router router = new Router()
            .listen("test_hello", (context, message) ->
                System.out.println("received: " + message.value()))
            .register(new InputListeners());

        streamback.includeRouter(router);
        // end::router[]
    }
}
