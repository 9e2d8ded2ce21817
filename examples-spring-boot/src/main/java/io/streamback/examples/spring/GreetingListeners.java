package io.streamback.examples.spring;

import io.streamback.listener.Input;
import io.streamback.listener.Listen;
import io.streamback.listener.Message;
import org.springframework.stereotype.Component;

/** Listener methods on a bean: found and registered by the starter, inputs injected as in the worker. */
// tag::listeners[]
@Component
public class GreetingListeners {
    private final Greeter greeter;

    public GreetingListeners(Greeter greeter) {
        this.greeter = greeter;
    }

    // tag::rpc[]
    /** An RPC: one reply. */
    @Listen(topic = "greetings")
    public void greet(@Input("name") String name, Message message) {
        message.respond(greeter.greet(name));
    }
    // end::rpc[]

    /** A streamed reply: {@code from}, {@code from - 1}, ... 1. */
    @Listen(topic = "countdown")
    public void countdown(@Input("from") int from, Message message) {
        for (int i = from; i >= 1; i--) {
            message.respond(i);
        }
    }
}
// end::listeners[]
