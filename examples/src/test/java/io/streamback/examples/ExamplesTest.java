package io.streamback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@StreambackTest
class ExamplesTest {

    @Test
    void producerAppGetsEveryReplyFromConsumerApp(Testkit testkit) throws Exception {
        String prefix = "&topics_prefix=" + Testkit.uniqueName("examples");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (Streamback consumer = ConsumerApp.register(Streamback.create("example_consumer_app", testkit.streamsUrl() + prefix));
             Streamback producer = Streamback.create("example_producer_app", testkit.streamsUrl() + prefix)) {
            consumer.startAsync().get(60, TimeUnit.SECONDS);

            ProducerApp.run(producer, new PrintStream(output, true, StandardCharsets.UTF_8));
        }

        List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(12);
        assertThat(lines.get(0)).startsWith("one-way   test_hello");
        assertThat(lines.get(1)).startsWith("rpc       test_hello_rpc").endsWith("reply: \"Hello from the consumer!\"");
        for (int i = 0; i < 10; i++) {
            assertThat(lines.get(2 + i)).startsWith("stream    test_hello_stream")
                    .endsWith("reply: \"Hello #" + i + " from the consumer!\"");
        }
    }
}
