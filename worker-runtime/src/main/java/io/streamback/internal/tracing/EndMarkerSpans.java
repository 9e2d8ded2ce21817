package io.streamback.internal.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;

/**
 * One span per end marker, child of the message's producer span, from when the dispatcher queues
 * it until the batch that carries it reaches Redis: the time the producer waits for the end
 * beyond the listeners' own.
 */
public final class EndMarkerSpans {
    static final EndMarkerSpans NONE = new EndMarkerSpans(null);

    private final Tracer tracer;
    private final List<Span> queued = new ArrayList<>();

    EndMarkerSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * @param sender from {@link ListenerTracing#senderOf}
     * @param error  the listeners' errors as the end marker carries them; null when none failed
     */
    public void queued(ProducerContext sender, String topic, String error) {
        if (tracer == null) {
            return;
        }
        Span span = tracer.spanBuilder("end " + topic).setParent(sender.context()).startSpan();
        if (error != null) {
            span.setAttribute(SpanAttributes.ERROR, error);
            span.setStatus(StatusCode.ERROR, error);
        }
        queued.add(span);
    }

    /** Ends the spans of the markers queued so far; {@code failure} is why they could not be pushed, or null. */
    public void pushed(Exception failure) {
        for (Span span : queued) {
            if (failure != null) {
                StreambackTracing.failed(span, failure);
            }
            span.end();
        }
        queued.clear();
    }
}
