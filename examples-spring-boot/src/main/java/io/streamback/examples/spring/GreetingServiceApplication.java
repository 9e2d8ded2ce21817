package io.streamback.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot service hosting Streamback listeners ({@link GreetingListeners},
 * {@link HeartbeatListener}), a schedule ({@link HeartbeatSchedule}) and an HTTP endpoint that
 * calls one of the listeners ({@link GreetingController}).
 *
 * <p>Run it with {@code STREAMBACK_STREAMS='main=kafka://HOST:PORT&feedback=redis://HOST:PORT'}.
 */
@SpringBootApplication
public class GreetingServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(GreetingServiceApplication.class, args);
    }
}
