package io.streamback.bench;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Streamback side's OpenTelemetry: none ({@code off}, what an application without the SDK or
 * the agent gets), or the SDK recording every span through a batch processor into an exporter
 * that only counts them ({@code sdk}): the cost of tracing without the cost of a collector.
 */
public final class BenchTracing implements AutoCloseable {
    /** {@code --tracing}. */
    public enum Mode { off, sdk }

    private final Mode mode;
    private final OpenTelemetry openTelemetry;
    private final SdkTracerProvider tracerProvider;
    private final AtomicLong exported = new AtomicLong();

    BenchTracing(Mode mode) {
        this.mode = mode;
        if (mode == Mode.off) {
            tracerProvider = null;
            openTelemetry = OpenTelemetry.noop();
            return;
        }
        tracerProvider = SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(new CountingExporter()).build())
                .build();
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    public Mode mode() {
        return mode;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** Spans the SDK has exported so far (after a flush): evidence that tracing was on. */
    public long exportedSpans() {
        if (tracerProvider != null) {
            tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
        }
        return exported.get();
    }

    @Override
    public void close() {
        if (tracerProvider != null) {
            tracerProvider.close();
        }
    }

    private final class CountingExporter implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.addAndGet(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
