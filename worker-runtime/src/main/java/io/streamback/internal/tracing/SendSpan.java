package io.streamback.internal.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The producer span of one message, from {@code send} until Kafka acknowledges or refuses it. */
public final class SendSpan {
    static final SendSpan NONE = new SendSpan(null, null, FeedbackTrace.NONE);

    private final Span span;
    private final Headers headers;
    private final FeedbackTrace feedback;

    SendSpan(Span span, Headers headers, FeedbackTrace feedback) {
        this.span = span;
        this.headers = headers;
        this.feedback = feedback;
    }

    /** The headers carrying the span's context, for the record; null when not tracing. */
    public Iterable<Header> headers() {
        return headers;
    }

    /**
     * Makes the span current, e.g. while the Kafka producer takes the record, so that spans made
     * meanwhile (the Java agent's own Kafka instrumentation) are its children.
     */
    public Scope makeCurrent() {
        return span == null ? Scope.noop() : span.makeCurrent();
    }

    /** The trace of the waits for this message's replies: children of this span. */
    public FeedbackTrace feedback() {
        return feedback;
    }

    /**
     * Ends the span with the partition and offset once Kafka acknowledges the message, or with the
     * error when it refuses it.
     *
     * @return completes as {@code acked} does, with the same error, once the span has ended;
     *         {@code acked} itself when nothing is traced
     */
    public CompletableFuture<RecordMetadata> endWhenAcked(CompletableFuture<RecordMetadata> acked) {
        if (span == null) {
            return acked;
        }
        return acked.whenComplete((metadata, error) -> {
            if (error == null) {
                span.setAttribute(SpanAttributes.PARTITION, String.valueOf(metadata.partition()));
                span.setAttribute(SpanAttributes.OFFSET, metadata.offset());
            } else {
                StreambackTracing.failed(span, error);
            }
            span.end();
        });
    }

    /** Ends the span with {@code error}, which the send threw before Kafka had the message; returns it. */
    public <E extends RuntimeException> E failed(E error) {
        if (span != null) {
            StreambackTracing.failed(span, error);
            span.end();
        }
        return error;
    }
}
