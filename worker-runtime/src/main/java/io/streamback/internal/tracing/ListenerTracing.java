package io.streamback.internal.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The spans of one consumer group's listeners: one per listener call, and one per end marker. */
public final class ListenerTracing {
    static final ListenerTracing NONE = new ListenerTracing(null, null, null);

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final String group;

    ListenerTracing(Tracer tracer, TextMapPropagator propagator, String group) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.group = group;
    }

    /**
     * The context the record's producer sent in its headers; the root context when there is
     * none (a Python producer's records carry none), so the first listener's span starts a new trace.
     */
    public ProducerContext senderOf(ConsumerRecord<?, ?> record) {
        return tracer == null ? ProducerContext.NONE
                : new ProducerContext(propagator.extract(Context.root(), record, KafkaHeaders.GETTER));
    }

    /**
     * Starts the consumer span of one listener call and makes it current (with its ids in the
     * logging MDC) until closed; replies sent meanwhile are events on it.
     *
     * @param sender    from {@link #senderOf}: the producer's span becomes the parent
     * @param messageId the message's feedback topic, when it has one
     */
    public ListenerSpan start(ProducerContext sender, ConsumerRecord<?, ?> record, String listener, String messageId) {
        if (tracer == null) {
            return ListenerSpan.NONE;
        }
        Span span = tracer.spanBuilder("process " + record.topic())
                .setParent(sender.context())
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SpanAttributes.MESSAGING_SYSTEM, SpanAttributes.KAFKA)
                .setAttribute(SpanAttributes.DESTINATION, record.topic())
                .setAttribute(SpanAttributes.OPERATION_TYPE, "process")
                .setAttribute(SpanAttributes.OPERATION_NAME, "process")
                .setAttribute(SpanAttributes.PARTITION, String.valueOf(record.partition()))
                .setAttribute(SpanAttributes.OFFSET, record.offset())
                .setAttribute(SpanAttributes.CONSUMER_GROUP, group)
                .setAttribute(SpanAttributes.LISTENER, listener)
                .startSpan();
        if (record.key() != null) {
            span.setAttribute(SpanAttributes.MESSAGE_KEY, String.valueOf(record.key()));
        }
        if (messageId != null) {
            span.setAttribute(SpanAttributes.MESSAGE_ID, messageId);
        }
        sender.startsTraceWith(span);
        return new ListenerSpan(span);
    }

    /** The end-marker spans of one consumer worker (not thread-safe, as the worker's dispatcher). */
    public EndMarkerSpans endMarkers() {
        return tracer == null ? EndMarkerSpans.NONE : new EndMarkerSpans(tracer);
    }
}
