package com.example.greetings;

import io.streamback.listener.Input;
import io.streamback.listener.Listen;
import io.streamback.listener.Message;

public class GreetingListeners {
    /** One reply: {"name": "Ada"} is answered with "Hello, Ada!". */
    @Listen(topic = "greet")
    public void greet(@Input("name") String name, Message message) {
        message.respond("Hello, " + name + "!");
    }

    /** A stream of replies: one per count, then the end. */
    @Listen(topic = "count")
    public void count(@Input("to") int to, Message message) {
        for (int i = 1; i <= to; i++) {
            message.respond(i);
        }
    }
}
