package io.streamback.testkit;

/**
 * Starts a testkit and prints why it could not: run by {@link TestkitModeTest} in a JVM of its own,
 * whose environment points at a container engine that does not exist.
 */
public final class MissingEngineProbe {

    private MissingEngineProbe() {
    }

    public static void main(String[] args) {
        try (Testkit testkit = Testkit.start()) {
            System.out.println("started " + testkit.streamsUrl());
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getName() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
