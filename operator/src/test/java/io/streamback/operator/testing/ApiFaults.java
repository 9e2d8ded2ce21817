package io.streamback.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
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
 * The mock API server's dispatcher, with errors injected into chosen writes of the operator: the
 * next writes of one object answer with planned HTTP errors (as an overloaded or racing API server
 * would), then the mock's own CRUD answers again. Every operator write to an object with a plan is
 * recorded with its arrival time and answer, so tests can measure how the operator retried.
 */
public final class ApiFaults extends Dispatcher implements Resetable, CustomResourceAware {

    /** A write of one object: {@code POST} (create) or {@code PUT} (update), its resource (plural), namespace and name. */
    public record Target(String method, String resource, String namespace, String name) {
    }

    /** One request to a target: when it arrived (System.nanoTime) and the HTTP code it got. */
    public record Attempt(Target target, long nanos, int code) {
    }

    /** /api/v1/namespaces/NS/PLURAL[/NAME] or /apis/GROUP/VERSION/namespaces/NS/PLURAL[/NAME], no subresource. */
    private static final Pattern OBJECT_PATH = Pattern.compile(
            "/apis?(?:/[^/]+)?/v[^/]+/namespaces/([^/]+)/([^/?]+)(?:/([^/?]+))?(?:\\?.*)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesMixedDispatcher delegate;
    private final Map<Target, Deque<Integer>> planned = new HashMap<>();
    private final List<Attempt> attempts = new ArrayList<>();

    ApiFaults(KubernetesMixedDispatcher delegate) {
        this.delegate = delegate;
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

    /** Injected errors not served yet, over all targets. */
    public synchronized int pending() {
        return planned.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Optional<Target> target = MockCluster.fromOperator(request) ? target(request) : Optional.empty();
        if (target.isPresent()) {
            Integer code;
            synchronized (this) {
                Deque<Integer> queue = planned.get(target.get());
                code = queue == null ? null : queue.poll();
                if (queue != null && code != null) {
                    attempts.add(new Attempt(target.get(), System.nanoTime(), code));
                    return error(code, target.get());
                }
            }
            long arrived = System.nanoTime();
            MockResponse response = delegate.dispatch(request);
            synchronized (this) {
                if (planned.containsKey(target.get())) {
                    attempts.add(new Attempt(target.get(), arrived, response.code()));
                }
            }
            return response;
        }
        return delegate.dispatch(request);
    }

    private static Optional<Target> target(RecordedRequest request) {
        String method = request.getMethod();
        if (!method.equals("POST") && !method.equals("PUT")) {
            return Optional.empty();
        }
        Matcher path = OBJECT_PATH.matcher(request.getPath());
        if (!path.matches()) {
            return Optional.empty();
        }
        String name = path.group(3);
        if (method.equals("POST")) {
            if (name != null) {
                return Optional.empty();
            }
            name = nameInBody(request);
        }
        return name == null ? Optional.empty() : Optional.of(new Target(method, path.group(2), path.group(1), name));
    }

    private static String nameInBody(RecordedRequest request) {
        try {
            JsonNode name = JSON.readTree(request.getBody().getBytes()).at("/metadata/name");
            return name.isTextual() ? name.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The error as the API server writes one: a Status object with the code, a reason and a message. */
    private static MockResponse error(int code, Target target) {
        String reason = switch (code) {
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            default -> "Unknown";
        };
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(code)
                        .withReason(reason)
                        .withMessage("injected " + code + " for " + target.method() + " " + target.resource() + " \""
                                + target.name() + "\"")
                        .build()));
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext context) {
        delegate.expectCustomResource(context);
    }
}
