package io.streamback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.StreambackApp;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@StreambackTest
class ExamplesTest {

    @Test
    void producerAppGetsEveryReplyFromTheExampleApp(Testkit testkit) throws Exception {
        String prefix = "&topics_prefix=" + Testkit.uniqueName("examples");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ExampleApp app = new ExampleApp();
        try (Streamback consumer = Streamback.create(app.name(), testkit.streamsUrl() + prefix);
             Streamback producer = Streamback.create("example_producer_app", testkit.streamsUrl() + prefix)) {
            app.configure(consumer);
            consumer.startAsync().get(60, TimeUnit.SECONDS);

            ProducerApp.run(producer, new PrintStream(output, true, StandardCharsets.UTF_8));
        }

        List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(16);
        assertThat(lines.get(0)).startsWith("one-way   test_hello");
        assertThat(lines.get(1)).startsWith("rpc       test_hello_rpc").endsWith("reply: \"Hello from the consumer!\"");
        for (int i = 0; i < 10; i++) {
            assertThat(lines.get(2 + i)).startsWith("stream    test_hello_stream")
                    .endsWith("reply: \"Hello #" + i + " from the consumer!\"");
        }
        assertThat(lines.get(12)).startsWith("mapped    test_input").endsWith("reply: TestInput[arg1=Hello world!, arg2=Hello again!]");
        assertThat(lines.get(13)).startsWith("injected  test_input_injection").endsWith("reply: Hello world!");
        assertThat(lines.get(14)).startsWith("router    test_router_hello").endsWith("reply: \"Hello from the router!\"");
    }

    @Test
    void theWorkerProcessFindsTheExampleApp() {
        assertThat(ServiceLoader.load(StreambackApp.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(ExampleApp.class);
    }
}
