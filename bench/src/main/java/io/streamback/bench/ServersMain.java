package io.streamback.bench;

import io.streamback.testkit.Testkit;

/**
 * Child JVM main: the testkit's Kafka broker and Redis server, out of the harness's JVM so that
 * the broker's threads and garbage do not share a heap with what is measured. Prints
 * {@code SERVERS <kafka host:port> <redis host:port>} and runs until its stdin ends.
 */
public final class ServersMain {
    private ServersMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Testkit testkit = Testkit.start()) {
            System.out.println("SERVERS " + testkit.bootstrapServers() + " "
                    + testkit.redis().host() + ":" + testkit.redis().port());
            System.out.flush();
            ChildJvm.awaitParentGone();
        }
        System.exit(0);
    }
}
