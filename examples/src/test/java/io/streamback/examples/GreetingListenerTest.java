package io.streamback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

// tag::test[]
@StreambackTest
class GreetingListenerTest {
    @Test
    void replies(Testkit testkit) throws Exception {
        String topic = Testkit.uniqueName("greetings");
        try (Streamback app = Streamback.create("greeter", testkit.streamsUrl());
             Streamback client = Streamback.create("client", testkit.streamsUrl())) {
            app.listen(topic, (context, message) -> message.respond("hi"));
            app.startAsync().get(30, TimeUnit.SECONDS);

            assertThat(client.send(topic, Map.of()).read(Duration.ofSeconds(10), String.class))
                .map(Reply::value).contains("hi");
        }
    }
}
// end::test[]
