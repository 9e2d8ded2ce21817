package io.streamback.examples;

import io.streamback.listener.Context;
import io.streamback.listener.Input;
import io.streamback.listener.Listen;
import io.streamback.listener.Message;

/** Input mapping to a class, and input injection. */
public final class InputListeners {
    /** The message value of test_input, and its reply. */
    public record TestInput(String arg1, String arg2) {
    }

    @Listen(topic = "test_input")
    public void testInput(Context context, Message message) {
        TestInput input = message.map(TestInput.class);
        message.respond(new TestInput(input.arg1(), input.arg2()));
    }

    @Listen(topic = "test_input_injection")
    public void testInputInjection(@Input("arg1") String arg1, @Input("arg2") String arg2, Message message) {
        message.respond(arg1 + " " + arg2);
    }
}
