package io.streamback.tracing;

import io.opentelemetry.context.Context;

/** The trace context a record's producer sent in its headers; {@link #NONE} for a record without one. */
public final class ProducerContext {
    static final ProducerContext NONE = new ProducerContext(Context.root());

    private final Context context;

    ProducerContext(Context context) {
        this.context = context;
    }

    Context context() {
        return context;
    }
}
