package com.example.greetings;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@StreambackTest // a real Kafka broker and a real Redis server, started once per test JVM
class GreetingsAppTest {
    @Test
    void greetsAndCounts(Testkit testkit) throws Exception {
        try (Streamback service = Streamback.create("greetings", testkit.streamsUrl());
             Streamback client = Streamback.create("client", testkit.streamsUrl())) {
            new GreetingsApp().configure(service);
            service.startAsync().get(60, TimeUnit.SECONDS);

            assertThat(client.send("greet", Map.of("name", "Ada")).read(Duration.ofSeconds(20), String.class))
                    .map(Reply::value).contains("Hello, Ada!");
            assertThat(client.send("count", Map.of("to", 3)).stream(Duration.ofSeconds(20), Integer.class))
                    .extracting(Reply::value).containsExactly(1, 2, 3);
        }
    }
}
