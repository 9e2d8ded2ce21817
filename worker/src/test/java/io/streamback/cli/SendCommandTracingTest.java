package io.streamback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.streamback.Streamback;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamback send} joins the caller's trace given in {@code TRACEPARENT}, as a CI job's would. */
@StreambackTest
class SendCommandTracingTest {
    @TempDir
    Path logs;

    @Test
    void theCommandLineSendsWithinTheCallersTraceparent(Testkit testkit) throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        String topic = Testkit.uniqueName("traced-cli");
        testkit.kafka().createTopic(topic, 1);
        try (SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                     .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            OpenTelemetry openTelemetry = OpenTelemetrySdk.builder()
                    .setTracerProvider(tracerProvider)
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();
            try (Streamback consumer = Streamback.builder(Testkit.uniqueName("consumer"))
                    .streams(testkit.streamsUrl()).openTelemetry(openTelemetry).build()) {
                consumer.listen(topic, (context, message) -> message.respond("ok"));
                consumer.startAsync().get(60, TimeUnit.SECONDS);
                SpanContext caller = openTelemetry.getTracer("test").spanBuilder("ci-job").startSpan().getSpanContext();

                CliRunner.Result result = CliRunner.fromClasspath(logs)
                        .env("STREAMBACK_STREAMS", testkit.streamsUrl())
                        .env("TRACEPARENT", "00-" + caller.getTraceId() + "-" + caller.getSpanId() + "-01")
                        .run("send", topic, "{}", "--wait", "30s");

                assertThat(result.exitCode()).as(result.stderr()).isZero();
                SpanData process = await("the listener's span").atMost(Duration.ofSeconds(30))
                        .until(() -> exporter.getFinishedSpanItems().stream()
                                .filter(span -> span.getName().equals("process " + topic)).findFirst(), Optional::isPresent)
                        .orElseThrow();
                assertThat(process.getTraceId()).isEqualTo(caller.getTraceId());
                assertThat(process.getParentSpanId()).isEqualTo(caller.getSpanId());
            }
        }
    }
}
