package io.streamback;

import static io.streamback.StreambackFixture.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.FeedbackTimeoutException;
import io.streamback.feedback.Reply;
import io.streamback.internal.wire.WireFormat;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** One trace from the producer through Kafka, the listener and the Redis replies, exported in memory. */
@StreambackTest
class TracingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Testkit testkit;
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private SdkTracerProvider tracerProvider;
    private OpenTelemetry openTelemetry;
    private StreambackFixture apps;
    private String topic;

    TracingTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeEach
    void setUp() {
        tracerProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        apps = new StreambackFixture(testkit);
        topic = Testkit.uniqueName("traced");
        testkit.kafka().createTopic(topic, 1);
    }

    @AfterEach
    void tearDown() {
        apps.close();
        tracerProvider.close();
    }

    private Streamback traced(String name) {
        return apps.app(Testkit.uniqueName(name), "", builder -> builder.openTelemetry(openTelemetry));
    }

    @Test
    void producerListenerAndRepliesFormOneTrace() throws Exception {
        Map<String, String> listenerMdc = new ConcurrentHashMap<>();
        Streamback consumer = started(traced("consumer").listen(topic, (context, message) -> {
            listenerMdc.putAll(MDC.getCopyOfContextMap());
            message.respond("one");
            message.respond("two");
        }));
        Streamback producer = traced("producer");

        Span caller = openTelemetry.getTracer("test").spanBuilder("caller").startSpan();
        FeedbackLane lane;
        List<String> replies;
        try (Scope ignored = caller.makeCurrent()) {
            lane = producer.send(topic, Map.of("n", 1), "key-1");
            replies = lane.stream(WAIT).map(reply -> reply.value().asText()).toList();
        } finally {
            caller.end();
        }

        assertThat(replies).containsExactly("one", "two");
        SpanData send = span("send " + topic);
        SpanData process = span("process " + topic);
        SpanData end = span("end " + topic);
        SpanData stream = span("stream " + topic);
        String traceId = caller.getSpanContext().getTraceId();
        assertThat(List.of(send, process, end, stream)).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(traceId));

        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
        assertThat(attribute(send, "messaging.system")).isEqualTo("kafka");
        assertThat(attribute(send, "messaging.destination.name")).isEqualTo(topic);
        assertThat(attribute(send, "messaging.operation.type")).isEqualTo("send");
        assertThat(attribute(send, "messaging.message.id")).isEqualTo(lane.feedbackTopic());
        assertThat(attribute(send, "messaging.kafka.message.key")).isEqualTo("key-1");
        assertThat(attribute(send, "messaging.destination.partition.id")).isEqualTo("0");
        assertThat(send.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"))).isNotNull();

        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(attribute(process, "messaging.operation.type")).isEqualTo("process");
        assertThat(attribute(process, "messaging.consumer.group.name")).isEqualTo(consumer.name());
        assertThat(attribute(process, "messaging.message.id")).isEqualTo(lane.feedbackTopic());
        assertThat(attribute(process, "messaging.destination.partition.id")).isEqualTo("0");
        assertThat(process.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")))
                .isEqualTo(send.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
        assertThat(process.getEvents()).extracting(EventData::getName)
                .containsExactly("streamback.respond", "streamback.respond");

        assertThat(end.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(end.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        assertThat(stream.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(stream.getAttributes().get(AttributeKey.longKey("streamback.replies"))).isEqualTo(2L);
        assertThat(attribute(stream, "streamback.outcome")).isEqualTo("end");

        assertThat(listenerMdc).containsEntry("trace_id", traceId).containsEntry("span_id", process.getSpanId());
        assertThat(MDC.get("trace_id")).as("the MDC is cleared after the listener").isNull();
    }

    @Test
    void theRecordCarriesTraceparentInItsHeadersAndItsValueIsUnchanged() {
        Streamback producer = traced("producer");

        FeedbackLane lane = producer.send(topic, Map.of("something", "Hello world!"));
        lane.sent().join();

        ConsumerRecord<String, byte[]> record = testkit.kafka().readRecords(topic, 1, WAIT).get(0);
        SpanData send = span("send " + topic);
        assertThat(header(record, "traceparent")).contains("00-" + send.getTraceId() + "-" + send.getSpanId() + "-"
                + send.getSpanContext().getTraceFlags().asHex());
        assertThat(record.value()).isEqualTo(WireFormat.encodeMessage(Map.of("something", "Hello world!"),
                lane.feedbackTopic(), producer.name()));
    }

    @Test
    void withoutOpenTelemetryNothingIsAddedToTheRecord() {
        Streamback producer = apps.app(Testkit.uniqueName("untraced"));

        producer.send(topic, Map.of()).sent().join();

        assertThat(testkit.kafka().readRecords(topic, 1, WAIT).get(0).headers().toArray()).isEmpty();
    }

    @Test
    void aListenerErrorMarksTheListenerEndAndReadSpans() throws Exception {
        started(traced("consumer").listen(topic, (context, message) -> {
            throw new IllegalStateException("boom");
        }));
        Streamback producer = traced("producer");

        FeedbackLane lane = producer.send(topic, Map.of());
        assertThatThrownBy(() -> lane.read(WAIT)).isInstanceOf(FeedbackErrorException.class);

        SpanData send = span("send " + topic);
        SpanData process = span("process " + topic);
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(process.getEvents()).anySatisfy(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                    .isEqualTo(IllegalStateException.class.getName());
            assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo("boom");
        });
        SpanData end = span("end " + topic);
        assertThat(end.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attribute(end, "streamback.error")).isEqualTo("IllegalStateException: boom");
        SpanData read = span("read " + topic);
        assertThat(read.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(read.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attribute(read, "streamback.outcome")).isEqualTo("error");
    }

    @Test
    void aReadThatTimesOutSaysSo() {
        Streamback producer = traced("producer");

        FeedbackLane lane = producer.send(topic, Map.of());
        assertThatThrownBy(() -> lane.read(Duration.ofMillis(300))).isInstanceOf(FeedbackTimeoutException.class);

        SpanData read = span("read " + topic);
        assertThat(attribute(read, "streamback.outcome")).isEqualTo("timeout");
        assertThat(read.getAttributes().get(AttributeKey.longKey("streamback.replies"))).isZero();
        assertThat(read.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void aStreamClosedBeforeItsEndSaysSoAndAResumedLaneReadsInTheCurrentTrace() throws Exception {
        started(traced("consumer").listen(topic, (context, message) -> {
            message.respond("one");
            message.respond("two");
        }));
        Streamback producer = traced("producer");
        FeedbackLane lane = producer.send(topic, Map.of());

        try (Stream<Reply<JsonNode>> replies = lane.stream(WAIT)) {
            assertThat(replies.limit(1).map(reply -> reply.value().asText())).containsExactly("one");
        }
        Span resumer = openTelemetry.getTracer("test").spanBuilder("resumer").startSpan();
        try (Scope ignored = resumer.makeCurrent()) {
            assertThat(producer.continueStream(lane.feedbackTopic()).read(WAIT)).map(reply -> reply.value().asText()).contains("two");
        } finally {
            resumer.end();
        }

        SpanData stream = span("stream " + topic);
        assertThat(attribute(stream, "streamback.outcome")).isEqualTo("closed");
        assertThat(stream.getAttributes().get(AttributeKey.longKey("streamback.replies"))).isEqualTo(1L);
        SpanData resumed = span("read");
        assertThat(resumed.getParentSpanId()).isEqualTo(resumer.getSpanContext().getSpanId());
        assertThat(attribute(resumed, "messaging.message.id")).isEqualTo(lane.feedbackTopic());
        assertThat(attribute(resumed, "streamback.outcome")).isEqualTo("reply");
    }

    @Test
    void aMessageWithoutTraceContextStartsANewTraceAtTheListener() throws Exception {
        started(traced("consumer").listen(topic, (context, message) -> message.respond("ok")));
        Streamback untraced = apps.app(Testkit.uniqueName("untraced"));

        assertThat(untraced.send(topic, Map.of()).read(WAIT)).map(reply -> reply.value().asText()).contains("ok");

        SpanData process = span("process " + topic);
        assertThat(process.getParentSpanContext().isValid()).isFalse();
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span("end " + topic).getParentSpanId()).isEqualTo(process.getSpanId());
    }

    @Test
    void aScheduleFiringIsTheRootOfTheTraceOfWhatItSends() throws Exception {
        started(traced("scheduler")
                .schedule("tick", "* * * * * *", topic, Map.of("tick", true), "every second")
                .listen(topic, (context, message) -> { }));

        SpanData process = span("process " + topic);
        // The send span ends on Kafka's ack, which may come after the listener has the record.
        SpanData send = parentOf(process);
        assertThat(send.getName()).isEqualTo("send " + topic);
        SpanData firing = parentOf(send);
        assertThat(firing.getName()).isEqualTo("schedule tick");
        assertThat(firing.getParentSpanContext().isValid()).isFalse();
        assertThat(attribute(firing, "streamback.schedule")).isEqualTo("tick");
    }

    private SpanData span(String name) {
        return await("span " + name).atMost(WAIT)
                .until(() -> exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private SpanData parentOf(SpanData child) {
        return await("parent of " + child.getName()).atMost(WAIT)
                .until(() -> exporter.getFinishedSpanItems().stream()
                        .filter(span -> span.getSpanId().equals(child.getParentSpanId())).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    private static Optional<String> header(ConsumerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return Optional.ofNullable(header).map(h -> new String(h.value(), StandardCharsets.UTF_8));
    }
}
