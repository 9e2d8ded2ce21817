package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.listener.ListenerOptions;

/** The snippets of the guide's section "Class based consumers" (docs/guide.md). */
final class ClassListeners {
    private ClassListeners() {
    }

    static void register(Streamback streamback) {
        // tag::register[]
        streamback.register(LogsConsumer.class);
        // end::register[]
    }

    static void factory(Streamback streamback) {
        // tag::factory[]
        streamback.listen(ListenerOptions.topic("new_log"), LogsConsumer::new);
        // end::factory[]
    }
}
