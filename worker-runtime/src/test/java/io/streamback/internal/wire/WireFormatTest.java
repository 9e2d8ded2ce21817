package io.streamback.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our bytes against the Python library's, field for field and in the same order. */
class WireFormatTest {
    private static final String FEEDBACK_TOPIC = "streamback_feedback_6f1c2a9e-3b1d-4c53-9a4e-2f0d1f6b7c11";

    record Greeting(String something) {
    }

    @Test
    void messageMatchesGolden() throws IOException {
        byte[] ours = WireFormat.encodeMessage(new Greeting("Hello world!"), FEEDBACK_TOPIC, "example_producer_app");

        assertSameJson(new String(ours, StandardCharsets.UTF_8), golden("message.json"));
    }

    @Test
    void responseMatchesGolden() throws IOException {
        assertSameJson(WireFormat.encodeResponse("Hello from the consumer!", "example_consumer_app"), golden("response.json"));
    }

    @Test
    void endMarkersMatchGolden() throws IOException {
        assertSameJson(WireFormat.encodeEnd(null, "example_consumer_app"), golden("response_end.json"));
        assertSameJson(WireFormat.encodeEnd("Exception('boom')", "example_consumer_app"),
                golden("response_end_with_error.json"));
    }

    @Test
    void decodesPythonMessage() throws IOException {
        MainRecord record = WireFormat.decodeMessage(golden("message.json").getBytes(StandardCharsets.UTF_8));

        assertThat(record.value().get("something").asText()).isEqualTo("Hello world!");
        assertThat(record.feedbackTopic()).isEqualTo(FEEDBACK_TOPIC);
        assertThat(record.sourceGroup()).isEqualTo("example_producer_app");
    }

    @Test
    void decodesPythonFeedback() throws IOException {
        FeedbackEntry reply = WireFormat.decodeFeedback(golden("response.json"));
        FeedbackEntry failed = WireFormat.decodeFeedback(golden("response_end_with_error.json"));

        assertThat(reply.isResponse()).isTrue();
        assertThat(reply.value().asText()).isEqualTo("Hello from the consumer!");
        assertThat(failed.isEndWithError()).isTrue();
        assertThat(failed.error()).isEqualTo("Exception('boom')");
        assertThat(WireFormat.decodeFeedback(golden("response_end.json")).isEnd()).isTrue();
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingOnesAreAbsent() {
        MainRecord record = WireFormat.decodeMessage(
                "{\"value\": null, \"event\": \"message\", \"trace\": [1, 2]}".getBytes(StandardCharsets.UTF_8));

        assertThat(record.value().isNull()).isTrue();
        assertThat(record.feedbackTopic()).isNull();
        assertThat(record.sourceGroup()).isNull();
    }

    @Test
    void nullValueIsWrittenAsJsonNull() {
        String json = new String(WireFormat.encodeMessage(null, FEEDBACK_TOPIC, "app"), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"value\":null,\"event\":\"message\"");
    }

    @Test
    void asciiAndUtf8RecordsDecodeAlike() {
        // Python escapes non-ASCII characters by default (ensure_ascii), and writes raw UTF-8 with ensure_ascii=False.
        MainRecord escaped = WireFormat.decodeMessage(
                "{\"value\": \"w\\u00f6rld \\u2713\"}".getBytes(StandardCharsets.US_ASCII));
        MainRecord raw = WireFormat.decodeMessage("{\"value\": \"w\u00f6rld \u2713\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(escaped.value().asText()).isEqualTo("w\u00f6rld \u2713");
        assertThat(raw.value()).isEqualTo(escaped.value());
    }

    @Test
    void aByteThatIsNotUtf8IsFoundWhereverItIs() {
        // The ASCII check reads eight bytes at a time, then the rest one by one: every position, both ways.
        byte[] ascii = "{\"value\": \"abcdefghijklmnopqrstuvwxyz\"}".getBytes(StandardCharsets.US_ASCII);
        for (int i = "{\"value\": \"".length(); i < ascii.length - 2; i++) {
            byte[] broken = ascii.clone();
            broken[i] = (byte) 0xFF;
            assertThatThrownBy(() -> WireFormat.decodeMessage(broken)).as("0xFF at %d", i)
                    .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not valid UTF-8");
        }
    }

    @Test
    void aJsonNodeValueIsWrittenAsItIs() {
        JsonNode value = WireFormat.mapper().createObjectNode().put("n", 1).put("nan", Double.NaN);

        MainRecord decoded = WireFormat.decodeMessage(WireFormat.encodeMessage(value, FEEDBACK_TOPIC, "app"));

        assertThat(decoded.value().get("n").asInt()).isEqualTo(1);
        assertThat(decoded.value().get("nan").asDouble()).isNaN();
    }

    @Test
    void feedbackTopicsAreFreshLowercaseUuids() {
        String first = WireFormat.newFeedbackTopic();

        assertThat(first).matches("streamback_feedback_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(WireFormat.newFeedbackTopic()).isNotEqualTo(first);
    }

    @Test
    void malformedRecordsSayWhatIsWrong() {
        assertThatThrownBy(() -> WireFormat.decodeMessage("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> WireFormat.decodeMessage("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not an object (an array)");
        assertThatThrownBy(() -> WireFormat.decodeMessage(new byte[] {'{', (byte) 0xC3, '}'}))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> WireFormat.decodeMessage(new byte[0]))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> WireFormat.decodeMessage(null))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> WireFormat.decodeMessage("{\"event\": 5}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("'event' is not a string");
    }

    @Test
    void nonFiniteNumbersAreBareTokensBothWaysAsPythonWritesThem() {
        // What Python's json.dumps writes for {"nan": float("nan"), "inf": float("inf"), "ninf": -float("inf")}.
        String python = "{\"value\": {\"nan\": NaN, \"inf\": Infinity, \"ninf\": -Infinity}, \"event\": \"message\", "
                + "\"feedback_topic\": \"" + FEEDBACK_TOPIC + "\", \"source_group\": \"py\"}";

        JsonNode value = WireFormat.decodeMessage(python.getBytes(StandardCharsets.UTF_8)).value();

        assertThat(value.get("nan").doubleValue()).isNaN();
        assertThat(value.get("inf").doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(value.get("ninf").doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(WireFormat.encodeResponse(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), "j"))
                .startsWith("{\"value\":[NaN,Infinity,-Infinity],");
        assertThat(WireFormat.encodeResponse(Double.NaN, "j")).isEqualTo("{\"value\":NaN,\"event\":\"response\",\"source_group\":\"j\"}");
    }

    @Test
    void scalarsAndEndMarkersAreWrittenExactlyAsBefore() {
        assertThat(WireFormat.encodeResponse(7, "j")).isEqualTo("{\"value\":7,\"event\":\"response\",\"source_group\":\"j\"}");
        assertThat(WireFormat.encodeResponse(7L, null)).isEqualTo("{\"value\":7,\"event\":\"response\",\"source_group\":null}");
        assertThat(WireFormat.encodeResponse("é\n", "j")).isEqualTo("{\"value\":\"é\\n\",\"event\":\"response\",\"source_group\":\"j\"}");
        assertThat(WireFormat.encodeResponse(true, "j")).isEqualTo("{\"value\":true,\"event\":\"response\",\"source_group\":\"j\"}");
        assertThat(WireFormat.encodeResponse(null, "j")).isEqualTo("{\"value\":null,\"event\":\"response\",\"source_group\":\"j\"}");
        assertThat(WireFormat.encodeEnd(null, "j")).isEqualTo("{\"event\":\"response_end\",\"error\":null,\"source_group\":\"j\"}");
        assertThat(WireFormat.encodeEnd("boom", "j"))
                .isEqualTo("{\"event\":\"response_end_with_error\",\"error\":\"boom\",\"source_group\":\"j\"}");
    }

    @Test
    void integersLongerThanPythonsDefaultLimitAreReadExactly() {
        String digits = "9".repeat(4300);
        String record = "{\"value\": " + digits + ", \"event\": \"message\", \"feedback_topic\": \"" + FEEDBACK_TOPIC + "\"}";

        JsonNode value = WireFormat.decodeMessage(record.getBytes(StandardCharsets.UTF_8)).value();

        assertThat(value.bigIntegerValue()).isEqualTo(new BigInteger(digits));
        assertThat(WireFormat.encodeResponse(value, "j")).contains(digits);
        String tooLong = "{\"value\": " + "1".repeat(WireFormat.MAX_NUMBER_DIGITS + 1) + "}";
        assertThatThrownBy(() -> WireFormat.decodeMessage(tooLong.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("not JSON").hasMessageContaining("Number value length");
    }

    @Test
    void aRecordThatIsNotJsonStillNamesItsFeedbackTopicSoTheProducerCanBeTold() {
        String truncated = "{\"value\": {\"a\": [1, 2}, \"event\": \"message\", \"feedback_topic\": \"" + FEEDBACK_TOPIC + "\"";

        assertThatThrownBy(() -> WireFormat.decodeMessage(truncated.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MalformedRecordException.class,
                        e -> assertThat(e.feedbackTopic()).contains(FEEDBACK_TOPIC));
        assertThatThrownBy(() -> WireFormat.decodeMessage("{\"feedback_topic\": \"elsewhere\", x}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MalformedRecordException.class, e -> assertThat(e.feedbackTopic()).isEmpty());
    }

    @Test
    void convertIgnoresUnknownFieldsAndNamesTheTarget() {
        JsonNode node = WireFormat.toJson(Map.of("something", "hi", "extra", 1));

        assertThat(WireFormat.convert(node, Greeting.class)).isEqualTo(new Greeting("hi"));
        assertThatThrownBy(() -> WireFormat.convert(WireFormat.toJson(List.of(1)), Greeting.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an array as " + Greeting.class.getName());
    }

    private static void assertSameJson(String ours, String golden) throws IOException {
        JsonNode actual = WireFormat.mapper().readTree(ours);
        JsonNode expected = WireFormat.mapper().readTree(golden);
        assertThat(actual).isEqualTo(expected);
        assertThat(fieldNames(actual)).containsExactlyElementsOf(fieldNames(expected));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = WireFormatTest.class.getResourceAsStream("/wire/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
