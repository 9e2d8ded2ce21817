package io.streamback.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamback.Streamback;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The worker's HTTP endpoints, on the JDK's own HTTP server: {@code /healthz} (every consumer
 * worker alive and polling), {@code /readyz} (started, subscribed, the listeners' topics existing,
 * Kafka and Redis answering; else it says why not) and {@code /metrics} (Prometheus text format).
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code port} (0: any free port) of {@code address}, or of every interface.
     *
     * @throws UncheckedIOException when the port can't be opened (in use, say)
     */
    public static HealthServer start(Optional<InetAddress> address, int port, Streamback streamback,
                                     PrometheusMeterRegistry registry) {
        InetSocketAddress listen = address.map(a -> new InetSocketAddress(a, port)).orElseGet(() -> new InetSocketAddress(port));
        HttpServer server;
        try {
            server = HttpServer.create(listen, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open the health and metrics port " + port
                    + address.map(a -> " on " + a.getHostAddress()).orElse("") + ": " + e.getMessage(), e);
        }
        server.createContext("/healthz", exchange ->
                respondStatus(exchange, streamback.isHealthy(), "workers polling", "a worker is not polling"));
        server.createContext("/readyz", exchange ->
                respondReadiness(exchange, streamback.notReadyBecause()));
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "streamback-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return new HealthServer(server);
    }

    /** The address it listens on: an interface's, or the wildcard address for every interface. */
    public InetAddress address() {
        return server.getAddress().getAddress();
    }

    /** "port P", and "of ADDRESS" when it listens on one interface only; for log lines. */
    public String where() {
        return "port " + port() + (address().isAnyLocalAddress() ? "" : " of " + address().getHostAddress());
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respondReadiness(HttpExchange exchange, Optional<String> notReadyBecause) throws IOException {
        respondStatus(exchange, notReadyBecause.isEmpty(), "ready", "not ready: " + notReadyBecause.orElse(""));
    }

    private static void respondStatus(HttpExchange exchange, boolean ok, String okText, String failText) throws IOException {
        respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", (ok ? okText : failText) + "\n");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
