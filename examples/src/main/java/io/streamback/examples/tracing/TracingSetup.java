package io.streamback.examples.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.streamback.Streamback;

/** Streamback with the OpenTelemetry SDK in code: the tracing page's example. */
final class TracingSetup {
    private TracingSetup() {
    }

    static Streamback create() {
        // tag::sdk[]
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.getDefault()).build())
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();

        Streamback streamback = Streamback.builder("orders")
                .streams("main=kafka://kafka:9092&feedback=redis://redis:6379")
                .openTelemetry(sdk)
                .build();
        // end::sdk[]
        return streamback;
    }
}
