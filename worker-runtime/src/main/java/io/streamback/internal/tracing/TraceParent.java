package io.streamback.internal.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A caller's trace context from the environment, as {@code TRACEPARENT} and {@code TRACESTATE}
 * (the names CI systems and shell tooling use), for the command line.
 */
public final class TraceParent {
    private static final TextMapGetter<Map<String, String>> ENVIRONMENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> environment) {
            return environment.keySet();
        }

        @Override
        public String get(Map<String, String> environment, String key) {
            return environment == null ? null : environment.get(key.toUpperCase(Locale.ROOT));
        }
    };

    private TraceParent() {
    }

    /** The context {@code TRACEPARENT} names; empty when it is unset or not a valid W3C traceparent. */
    public static Optional<Context> fromEnvironment(Map<String, String> environment) {
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), environment, ENVIRONMENT);
        return Span.fromContext(context).getSpanContext().isValid() ? Optional.of(context) : Optional.empty();
    }

    /**
     * {@code openTelemetry} if it traces (the Java agent's); otherwise one that makes no spans but
     * still passes W3C trace context on, so that a caller's trace reaches the listeners.
     */
    public static OpenTelemetry propagatingAtLeast(OpenTelemetry openTelemetry) {
        if (openTelemetry.getTracerProvider() != TracerProvider.noop()) {
            return openTelemetry;
        }
        return OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
    }
}
