package io.streamback.examples.guide;

import io.streamback.Streamback;

/** The snippets of the guide's section "Input mapping to objects, input injection and annotated listeners" (docs/guide.md). */
final class InputInjection {
    private InputInjection() {
    }

    static void register(Streamback streamback) {
        // tag::register[]
        streamback.register(new InputListeners());
        // end::register[]
    }
}
