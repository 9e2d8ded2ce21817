package io.streamback.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's own endpoints: {@code /healthz} (liveness: the process is up and, once started,
 * its watches are healthy), {@code /readyz} (the operator has started) and {@code /metrics}.
 */
final class OperatorHttpServer implements AutoCloseable {

    private final HttpServer server;

    OperatorHttpServer(Optional<InetAddress> address, int port, Operator operator, OperatorMetrics metrics)
            throws IOException {
        server = HttpServer.create(address.map(a -> new InetSocketAddress(a, port)).orElseGet(() -> new InetSocketAddress(port)), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "streamback-operator-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/healthz", exchange -> answer(exchange, () -> {
            boolean started = operator.getRuntimeInfo().isStarted();
            return !started || operator.getRuntimeInfo().allEventSourcesAreHealthy()
                    ? new Reply(200, "ok") : new Reply(503, "unhealthy watches: "
                    + operator.getRuntimeInfo().unhealthyEventSources());
        }));
        server.createContext("/readyz", exchange -> answer(exchange, () ->
                operator.getRuntimeInfo().isStarted() ? new Reply(200, "ok") : new Reply(503, "starting")));
        server.createContext("/metrics", exchange -> answer(exchange, () -> new Reply(200, metrics.scrape())));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private record Reply(int code, String body) {
    }

    private static void answer(HttpExchange exchange, Supplier<Reply> handler) throws IOException {
        Reply reply;
        try {
            reply = handler.get();
        } catch (RuntimeException e) {
            reply = new Reply(500, String.valueOf(e.getMessage()));
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(reply.code(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
