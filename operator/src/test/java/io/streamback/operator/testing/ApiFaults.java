package io.streamback.operator.testing;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Errors injected into chosen writes of the operator, in front of the real API server: an
 * interceptor of the operator's client sends the next writes of one object to a loopback server
 * that answers with planned HTTP errors (as an overloaded or racing API server would), then lets
 * them through again. Every operator write to an object with a plan is recorded with its time and
 * answer, so tests can measure how the operator retried.
 */
public final class ApiFaults implements Interceptor, AutoCloseable {

    /** A write of one object: its HTTP method, resource (plural), namespace and name. */
    public record Target(String method, String resource, String namespace, String name) {
    }

    /** One request to a target: when it was sent or answered (System.nanoTime) and the HTTP code it got. */
    public record Attempt(Target target, long nanos, int code) {
    }

    /** /api/v1/namespaces/NS/PLURAL/NAME or /apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME, no subresource. */
    private static final Pattern OBJECT_PATH = Pattern.compile(
            "/apis?(?:/[^/]+)?/v[^/]+/namespaces/([^/]+)/([^/]+)/([^/]+)");

    private final HttpServer errors;
    private final Map<Target, Deque<Integer>> planned = new HashMap<>();
    private final List<Attempt> attempts = new ArrayList<>();

    ApiFaults() {
        try {
            errors = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        errors.createContext("/", exchange -> {
            // /CODE/METHOD/RESOURCE/NAME
            String[] parts = exchange.getRequestURI().getPath().split("/");
            int code = Integer.parseInt(parts[1]);
            byte[] body = status(code, parts[2] + " " + parts[3] + " \"" + parts[4] + "\"")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        errors.start();
    }

    /** The operator's next writes of {@code target} answer {@code codes}, one each, in order. */
    public synchronized void fail(Target target, int... codes) {
        Deque<Integer> queue = planned.computeIfAbsent(target, t -> new ArrayDeque<>());
        for (int code : codes) {
            queue.add(code);
        }
    }

    /** Every operator write to a target that has (or had) a plan, oldest first. */
    public synchronized List<Attempt> attempts(Target target) {
        return attempts.stream().filter(a -> a.target().equals(target)).toList();
    }

    /** Forgets the plans and attempts so far. */
    public synchronized void clear() {
        planned.clear();
        attempts.clear();
    }

    /** Injected errors not served yet, over all targets. */
    public synchronized int pending() {
        return planned.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        Optional<Target> target = target(request);
        if (target.isEmpty()) {
            return;
        }
        synchronized (this) {
            Deque<Integer> queue = planned.get(target.get());
            Integer code = queue == null ? null : queue.poll();
            if (code != null) {
                attempts.add(new Attempt(target.get(), System.nanoTime(), code));
                Target t = target.get();
                builder.uri(URI.create("http://127.0.0.1:" + errors.getAddress().getPort() + "/" + code + "/"
                        + t.method() + "/" + t.resource() + "/" + t.name()));
            }
        }
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (request.uri().getPort() == errors.getAddress().getPort()) {
            return;
        }
        target(request).ifPresent(target -> {
            synchronized (this) {
                if (planned.containsKey(target)) {
                    attempts.add(new Attempt(target, System.nanoTime(), response.code()));
                }
            }
        });
    }

    private static Optional<Target> target(HttpRequest request) {
        String method = request.method();
        if (method.equals("GET")) {
            return Optional.empty();
        }
        Matcher path = OBJECT_PATH.matcher(request.uri().getPath());
        if (!path.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Target(method, path.group(2), path.group(1), path.group(3)));
    }

    /** The error as the API server writes one: a Status object with the code, a reason and a message. */
    private static String status(int code, String what) {
        String reason = switch (code) {
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            default -> "Unknown";
        };
        return Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
                .withMessage("injected " + code + " for " + what).build());
    }

    @Override
    public void close() {
        errors.stop(0);
    }
}
