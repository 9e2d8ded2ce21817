package io.streamback.internal.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackTimeoutException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The producer's waits for the replies of one message: a {@code read} span per read, a
 * {@code stream} span per stream, each with the number of replies and how it ended
 * ({@code streamback.outcome}: {@code reply}, {@code end}, {@code error}, {@code timeout},
 * {@code closed}).
 */
public final class FeedbackTrace {
    static final FeedbackTrace NONE = new FeedbackTrace(null, null, null, null);

    private final Tracer tracer;
    private final Context parent;
    private final String topic;
    private final String feedbackTopic;

    FeedbackTrace(Tracer tracer, Context parent, String topic, String feedbackTopic) {
        this.tracer = tracer;
        this.parent = parent;
        this.topic = topic;
        this.feedbackTopic = feedbackTopic;
    }

    /** Runs one read, {@code next}: the next reply, or empty at the listeners' end. */
    public <T> Optional<T> read(Supplier<Optional<T>> next) {
        if (tracer == null) {
            return next.get();
        }
        Span span = start("read");
        try {
            Optional<T> reply = next.get();
            span.setAttribute(SpanAttributes.REPLIES, reply.isPresent() ? 1 : 0);
            span.setAttribute(SpanAttributes.OUTCOME, reply.isPresent() ? "reply" : "end");
            return reply;
        } catch (RuntimeException | Error e) {
            span.setAttribute(SpanAttributes.REPLIES, 0);
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** The span of one stream of replies; it starts with the first read. */
    public ReplyStream stream() {
        return tracer == null ? ReplyStream.NONE : new ReplyStream(this);
    }

    private Span start(String operation) {
        return tracer.spanBuilder(topic == null ? operation : operation + " " + topic)
                .setParent(parent)
                .setAttribute(SpanAttributes.MESSAGE_ID, feedbackTopic)
                .startSpan();
    }

    private static void failed(Span span, Throwable error) {
        span.setAttribute(SpanAttributes.OUTCOME, error instanceof FeedbackTimeoutException ? "timeout"
                : error instanceof FeedbackErrorException ? "error" : "failure");
        StreambackTracing.failed(span, error);
    }

    /** The span of one {@code stream()}: ends at the listeners' end, a failure, or when the stream is closed early. */
    public static final class ReplyStream implements AutoCloseable {
        static final ReplyStream NONE = new ReplyStream(null);

        private final FeedbackTrace trace;
        private Span span;
        private long replies;
        private boolean ended;

        private ReplyStream(FeedbackTrace trace) {
            this.trace = trace;
        }

        /** Runs one step of the stream, {@code next}: the next reply, or empty at the end. */
        public <T> Optional<T> next(Supplier<Optional<T>> next) {
            if (trace == null || ended) {
                return next.get();
            }
            if (span == null) {
                span = trace.start("stream");
            }
            try {
                Optional<T> reply = next.get();
                if (reply.isPresent()) {
                    replies++;
                } else {
                    end("end");
                }
                return reply;
            } catch (RuntimeException | Error e) {
                span.setAttribute(SpanAttributes.REPLIES, replies);
                failed(span, e);
                ended = true;
                span.end();
                throw e;
            }
        }

        /** Ends the span if the stream was left before its end. */
        @Override
        public void close() {
            if (span != null && !ended) {
                end("closed");
            }
        }

        private void end(String outcome) {
            ended = true;
            span.setAttribute(SpanAttributes.REPLIES, replies);
            span.setAttribute(SpanAttributes.OUTCOME, outcome);
            span.end();
        }
    }
}
