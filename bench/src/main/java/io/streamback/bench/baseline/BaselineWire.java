package io.streamback.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * The Streamback wire format written out by hand from the protocol document, with plain Jackson:
 * the baseline uses no Streamback code at all.
 */
public final class BaselineWire {
    public static final int FEEDBACK_TTL_SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BaselineWire() {
    }

    /** {@code streamback_feedback_} and a random UUID. */
    public static String newFeedbackTopic() {
        return "streamback_feedback_" + UUID.randomUUID();
    }

    /** A main stream record: {@code {"value", "event": "message", "feedback_topic", "source_group"}}. */
    public static byte[] message(JsonNode value, String feedbackTopic, String sourceGroup) {
        ObjectNode record = NODES.objectNode();
        record.set("value", value == null ? NullNode.getInstance() : value);
        record.put("event", "message");
        record.put("feedback_topic", feedbackTopic);
        record.put("source_group", sourceGroup);
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reply: {@code {"value", "event": "response", "source_group"}}. */
    public static String response(JsonNode value, String sourceGroup) {
        ObjectNode entry = NODES.objectNode();
        entry.set("value", value == null ? NullNode.getInstance() : value);
        entry.put("event", "response");
        entry.put("source_group", sourceGroup);
        return write(entry);
    }

    /** The end marker of a record whose listener returned normally. */
    public static String end(String sourceGroup) {
        ObjectNode entry = NODES.objectNode();
        entry.put("event", "response_end");
        entry.putNull("error");
        entry.put("source_group", sourceGroup);
        return write(entry);
    }

    public static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
