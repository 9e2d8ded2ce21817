package io.streamback.testkit;

/**
 * The testkit's Kafka broker and Redis server for running services by hand: prints
 * {@code STREAMBACK_STREAMS=...} and serves until stopped (Ctrl-C), when the servers stop too.
 * {@code mvn -q -pl testkit exec:java} runs it from the repository root.
 */
public final class TestkitServers {
    private TestkitServers() {
    }

    public static void main(String[] args) throws InterruptedException {
        Testkit testkit = Testkit.shared(); // closed by the JVM's shutdown hook
        System.out.println("STREAMBACK_STREAMS='" + testkit.streamsUrl() + "'");
        System.out.flush();
        Thread.currentThread().join();
    }
}
