package io.streamback.internal.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * The trace context a record's producer sent in its headers, parent of the record's listener and
 * end-marker spans. A record without one (a Python producer's) gets its trace from its first
 * listener span, so that its end marker joins that trace. Used on the dispatching thread only.
 */
public final class ProducerContext {
    static final ProducerContext NONE = new ProducerContext(Context.root());

    private Context context;
    private boolean hasTrace;

    ProducerContext(Context context) {
        this.context = context;
        this.hasTrace = Span.fromContext(context).getSpanContext().isValid();
    }

    Context context() {
        return context;
    }

    /** Makes {@code span} the parent of what follows, unless the producer sent a trace. */
    void startsTraceWith(Span span) {
        if (!hasTrace) {
            context = Context.root().with(span);
            hasTrace = true;
        }
    }
}
