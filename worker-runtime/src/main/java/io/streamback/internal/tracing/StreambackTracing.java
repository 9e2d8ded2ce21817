package io.streamback.internal.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Instant;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Streamback's spans, made with the application's {@link OpenTelemetry}: a producer span per
 * send, whose context travels in the record's headers (W3C {@code traceparent}, {@code tracestate});
 * a consumer span per listener call, child of it; spans for the end markers and for the producer's
 * waits for replies. See docs/tracing.md.
 *
 * <p>With neither a tracer nor a propagator installed (OpenTelemetry's no-op, the default without
 * the SDK or the Java agent) every method returns a shared do-nothing object: no spans, no headers,
 * about 30 ns per RPC in all (docs/benchmarks.md).
 */
public final class StreambackTracing {
    private static final String INSTRUMENTATION_NAME = "io.streamback";
    private static final StreambackTracing DISABLED = new StreambackTracing(null, null);

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private StreambackTracing(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Tracing with {@code openTelemetry}; disabled when it neither traces nor propagates. */
    public static StreambackTracing of(OpenTelemetry openTelemetry) {
        TextMapPropagator propagator = openTelemetry.getPropagators().getTextMapPropagator();
        if (openTelemetry.getTracerProvider() == TracerProvider.noop() && propagator == TextMapPropagator.noop()) {
            return DISABLED;
        }
        TracerBuilder tracer = openTelemetry.tracerBuilder(INSTRUMENTATION_NAME);
        String version = StreambackTracing.class.getPackage().getImplementationVersion();
        if (version != null) {
            tracer.setInstrumentationVersion(version);
        }
        return new StreambackTracing(tracer.build(), propagator);
    }

    /**
     * The global OpenTelemetry: the Java agent's, or what the application registered with
     * {@code GlobalOpenTelemetry.set}; else a no-op, without registering it, so that the
     * application may still register its SDK later. With an API older than 1.5x (Spring Boot 3.5
     * manages 1.49), which cannot look without registering, {@code GlobalOpenTelemetry.get()}.
     */
    public static OpenTelemetry globalOpenTelemetry() {
        try {
            return GlobalOpenTelemetry.getOrNoop();
        } catch (NoSuchMethodError olderApi) {
            return GlobalOpenTelemetry.get();
        }
    }

    /** No spans and no headers. */
    public static StreambackTracing disabled() {
        return DISABLED;
    }

    /** Whether spans are made and context propagated. */
    public boolean isEnabled() {
        return tracer != null;
    }

    /**
     * Starts the producer span of a message to {@code topic}, child of the current context, and
     * writes its context into the headers the record is to carry.
     *
     * @param messageId the message's feedback topic, unique per message
     */
    public SendSpan startSend(String topic, String key, String messageId, String sourceGroup) {
        if (tracer == null) {
            return SendSpan.NONE;
        }
        Span span = tracer.spanBuilder("send " + topic)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SpanAttributes.MESSAGING_SYSTEM, SpanAttributes.KAFKA)
                .setAttribute(SpanAttributes.DESTINATION, topic)
                .setAttribute(SpanAttributes.OPERATION_TYPE, "send")
                .setAttribute(SpanAttributes.OPERATION_NAME, "send")
                .setAttribute(SpanAttributes.MESSAGE_ID, messageId)
                .setAttribute(SpanAttributes.SOURCE_GROUP, sourceGroup)
                .startSpan();
        if (key != null) {
            span.setAttribute(SpanAttributes.MESSAGE_KEY, key);
        }
        RecordHeaders headers = new RecordHeaders();
        Context sending = Context.current().with(span);
        propagator.inject(sending, headers, KafkaHeaders.SETTER);
        return new SendSpan(span, headers, new FeedbackTrace(tracer, sending, topic, messageId));
    }

    /** The trace of waits for the replies of a message sent elsewhere: children of the current context. */
    public FeedbackTrace resumedFeedback(String feedbackTopic) {
        return tracer == null ? FeedbackTrace.NONE : new FeedbackTrace(tracer, Context.current(), null, feedbackTopic);
    }

    /** The spans of the listeners of consumer group {@code group}. */
    public ListenerTracing listeners(String group) {
        return tracer == null ? ListenerTracing.NONE : new ListenerTracing(tracer, propagator, group);
    }

    /**
     * Runs one firing of a schedule in a span of its own, the root of a new trace, so that the
     * message it sends and the listeners' work are children of the firing.
     */
    public <T> T fire(String schedule, Instant occurrence, Supplier<T> send) {
        if (tracer == null) {
            return send.get();
        }
        Span span = tracer.spanBuilder("schedule " + schedule)
                .setNoParent()
                .setAttribute(SpanAttributes.SCHEDULE, schedule)
                .setAttribute(SpanAttributes.OCCURRENCE, occurrence.toString())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return send.get();
        } catch (RuntimeException | Error e) {
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Marks {@code span} failed by {@code error}. */
    static void failed(Span span, Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
    }
}
