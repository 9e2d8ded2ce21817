package io.streamback.examples.spring;

import io.streamback.testkit.Testkit;

/**
 * Starts the testkit's Kafka broker and Redis server and prints their streams URL, for running the
 * service by hand ({@code mvn spring-boot:run}, the jar, the CLI) against real servers. Runs until
 * stopped; the servers stop with it.
 */
public final class TestkitServers {
    private TestkitServers() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("STREAMBACK_STREAMS=" + Testkit.shared().streamsUrl());
        Thread.currentThread().join();
    }
}
