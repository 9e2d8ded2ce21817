package io.streamback.examples.guide;

import io.streamback.listener.Input;
import io.streamback.listener.Listen;

/** The guide's annotated listener with input injection (docs/guide.md, "Input mapping to objects, input injection and annotated listeners"). */
// tag::class[]
public class InputListeners {
    @Listen(topic = "test_input")
    public void testInput(@Input("arg1") String arg1, @Input("arg2") String arg2) {
    }
}
// end::class[]
