package io.streamback.examples.spring;

import io.streamback.Streamback;
import io.streamback.StreambackApp;

/**
 * The example's listeners and schedule without Spring, for the worker process
 * ({@code streamback.jar run}): the baseline that docs/spring-boot.md measures the Spring Boot
 * service against.
 */
public class PlainWorkerGreetingApp implements StreambackApp {
    @Override
    public String name() {
        return "greeting-service";
    }

    @Override
    public void configure(Streamback streamback) {
        streamback.register(new GreetingListeners(new Greeter("Hello")))
                .register(new HeartbeatListener())
                .schedule(new HeartbeatSchedule().heartbeat("*/30 * * * * *"));
    }
}
