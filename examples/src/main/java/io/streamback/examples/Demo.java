package io.streamback.examples;

import io.streamback.Streamback;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The quick-start demo: starts a real Kafka broker and Redis on this machine, runs the example
 * listener app, and sends the example messages as a producer app.
 */
public final class Demo {
    private Demo() {
    }

    /** The first calls pay for connections, class loading and compilation; this shows the round trip once warm. */
    private static void printWarmRoundTrips(Streamback producer, int calls) {
        for (int i = 0; i < 2 * calls; i++) {
            producer.send("test_hello_rpc", Map.of("something", "Hello world!")).read(Duration.ofSeconds(30));
        }
        long[] micros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            producer.send("test_hello_rpc", Map.of("something", "Hello world!")).read(Duration.ofSeconds(30));
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("rpc x%d  test_hello_rpc        median %.2f ms, p99 %.2f ms%n",
                calls, micros[calls / 2] / 1000.0, micros[calls * 99 / 100] / 1000.0);
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        try (Testkit testkit = Testkit.start()) {
            System.out.printf("Kafka on %s and Redis on %s:%d started in %.1f s%n", testkit.bootstrapServers(),
                    testkit.redis().host(), testkit.redis().port(), (System.nanoTime() - start) / 1e9);
            ExampleApp app = new ExampleApp();
            try (Streamback consumer = Streamback.create(app.name(), testkit.streamsUrl());
                 Streamback producer = Streamback.create("example_producer_app", testkit.streamsUrl())) {
                app.configure(consumer);
                consumer.startAsync().get(60, TimeUnit.SECONDS);
                ProducerApp.run(producer, System.out);
                printWarmRoundTrips(producer, 1000);
            }
        }
        System.out.println("Demo finished.");
    }
}
