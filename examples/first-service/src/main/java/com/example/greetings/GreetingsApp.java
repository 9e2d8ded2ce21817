package com.example.greetings;

import io.streamback.Streamback;
import io.streamback.StreambackApp;

/** What the worker runs: listed in META-INF/services/io.streamback.StreambackApp. */
public class GreetingsApp implements StreambackApp {
    @Override
    public String name() {
        return "greetings"; // the Kafka consumer group
    }

    @Override
    public void configure(Streamback streamback) {
        streamback.register(new GreetingListeners());
    }
}
