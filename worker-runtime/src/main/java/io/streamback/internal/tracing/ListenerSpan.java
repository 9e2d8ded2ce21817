package io.streamback.internal.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import org.slf4j.MDC;

/**
 * The consumer span of one listener call, current on the listener's thread while it runs, with
 * {@code trace_id}, {@code span_id} and {@code trace_flags} in the logging MDC (the keys of
 * OpenTelemetry's own log instrumentation), so the listener's log lines name their trace.
 */
public final class ListenerSpan implements AutoCloseable {
    static final ListenerSpan NONE = new ListenerSpan(null);
    private static final String[] MDC_KEYS = {"trace_id", "span_id", "trace_flags"};

    private final Span span;
    private final Scope scope;
    private final String[] previousMdc;

    ListenerSpan(Span span) {
        this.span = span;
        if (span == null) {
            this.scope = null;
            this.previousMdc = null;
            return;
        }
        this.scope = span.makeCurrent();
        SpanContext context = span.getSpanContext();
        if (context.isValid()) {
            previousMdc = new String[MDC_KEYS.length];
            String[] values = {context.getTraceId(), context.getSpanId(), context.getTraceFlags().asHex()};
            for (int i = 0; i < MDC_KEYS.length; i++) {
                previousMdc[i] = MDC.get(MDC_KEYS[i]);
                MDC.put(MDC_KEYS[i], values[i]);
            }
        } else {
            previousMdc = null;
        }
    }

    /** Records the listener's final failure, if any ({@code null}: it returned normally). */
    public void failed(Throwable failure) {
        if (span != null && failure != null) {
            StreambackTracing.failed(span, failure);
        }
    }

    /** Marks a reply on the current span: on the listener's span when it replies from its own thread. */
    public static void responded() {
        Span current = Span.current();
        if (current.isRecording()) {
            current.addEvent("streamback.respond");
        }
    }

    @Override
    public void close() {
        if (span == null) {
            return;
        }
        if (previousMdc != null) {
            for (int i = 0; i < MDC_KEYS.length; i++) {
                if (previousMdc[i] == null) {
                    MDC.remove(MDC_KEYS[i]);
                } else {
                    MDC.put(MDC_KEYS[i], previousMdc[i]);
                }
            }
        }
        scope.close();
        span.end();
    }
}
