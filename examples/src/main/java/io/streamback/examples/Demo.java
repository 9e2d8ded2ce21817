package io.streamback.examples;

import io.streamback.Streamback;
import io.streamback.testkit.Testkit;
import java.util.concurrent.TimeUnit;

/**
 * The quick-start demo: starts a real Kafka broker and Redis on this machine, runs the example
 * consumer app, and sends the example messages as a producer app.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        try (Testkit testkit = Testkit.start()) {
            System.out.printf("Kafka on %s and Redis on %s:%d started in %.1f s%n", testkit.bootstrapServers(),
                    testkit.redis().host(), testkit.redis().port(), (System.nanoTime() - start) / 1e9);
            try (Streamback consumer = ConsumerApp.register(Streamback.create("example_consumer_app", testkit.streamsUrl()));
                 Streamback producer = Streamback.create("example_producer_app", testkit.streamsUrl())) {
                consumer.startAsync().get(60, TimeUnit.SECONDS);
                ProducerApp.run(producer, System.out);
            }
        }
        System.out.println("Demo finished.");
    }
}
