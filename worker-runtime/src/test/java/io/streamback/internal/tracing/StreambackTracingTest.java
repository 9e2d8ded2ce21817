package io.streamback.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class StreambackTracingTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void withoutAnSdkEveryCallReturnsTheSameDoNothingObjects() {
        StreambackTracing tracing = StreambackTracing.of(OpenTelemetry.noop());
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("orders", 0, 7L, "key", new byte[0]);

        assertThat(tracing.isEnabled()).isFalse();
        SendSpan send = tracing.startSend("orders", "key", "streamback_feedback_x", "app");
        assertThat(send).isSameAs(tracing.startSend("other", null, "streamback_feedback_y", "app"));
        assertThat(send.headers()).as("no headers added to the record").isNull();
        assertThat(send.feedback().stream()).isSameAs(send.feedback().stream());
        ListenerTracing listeners = tracing.listeners("group");
        assertThat(listeners.senderOf(record)).isSameAs(listeners.senderOf(record));
        assertThat(listeners.start(listeners.senderOf(record), record, "listener", null))
                .isSameAs(listeners.start(listeners.senderOf(record), record, "other", null));
        assertThat(listeners.endMarkers()).isSameAs(listeners.endMarkers());
        assertThat(tracing.fire("tick", Instant.EPOCH, () -> "sent")).isEqualTo("sent");
    }

    @Test
    void aPropagatorAloneIsEnoughToPassContextOn() {
        OpenTelemetry propagating = OpenTelemetry.propagating(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
        Context caller = TraceParent.fromEnvironment(Map.of("TRACEPARENT", TRACEPARENT)).orElseThrow();

        SendSpan send;
        try (var ignored = caller.makeCurrent()) {
            send = StreambackTracing.of(propagating).startSend("orders", null, "streamback_feedback_x", "app");
        }

        assertThat(new String(send.headers().iterator().next().value())).isEqualTo(TRACEPARENT);
    }

    @Test
    void traceparentFromTheEnvironmentOnlyWhenValid() {
        SpanContext parsed = Span.fromContext(TraceParent.fromEnvironment(
                Map.of("TRACEPARENT", TRACEPARENT, "TRACESTATE", "vendor=1")).orElseThrow()).getSpanContext();

        assertThat(parsed.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(parsed.getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(parsed.getTraceState().get("vendor")).isEqualTo("1");
        assertThat(TraceParent.fromEnvironment(Map.of())).isEmpty();
        assertThat(TraceParent.fromEnvironment(Map.of("TRACEPARENT", "not-a-traceparent"))).isEqualTo(Optional.empty());
    }

    @Test
    void theCommandLineKeepsATracingOpenTelemetryAndOtherwisePropagatesW3c() {
        try (SdkTracerProvider provider = SdkTracerProvider.builder().build()) {
            OpenTelemetry sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();

            assertThat(TraceParent.propagatingAtLeast(sdk)).isSameAs(sdk);
            assertThat(TraceParent.propagatingAtLeast(OpenTelemetry.noop()).getPropagators().getTextMapPropagator().fields())
                    .containsExactlyInAnyOrder("traceparent", "tracestate");
        }
    }
}
