package io.streamback.examples;

/** Reads the streams URL the way the worker does: from the STREAMBACK_STREAMS environment variable. */
final class Env {
    private Env() {
    }

    static String streamsUrl() {
        String url = System.getenv("STREAMBACK_STREAMS");
        if (url == null || url.isBlank()) {
            System.err.println("Set STREAMBACK_STREAMS, e.g. main=kafka://localhost:9092&feedback=redis://localhost:6379");
            System.exit(2);
        }
        return url;
    }
}
