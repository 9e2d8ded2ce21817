package io.streamback.internal.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Streamback wire protocol, in one place: the JSON of main stream records and of feedback
 * entries, and the names of feedback topics. Every byte another Streamback (Java or Python)
 * reads is written here, and every byte it wrote is read here.
 */
public final class WireFormat {
    /** {@code event} of every main stream record. */
    public static final String MESSAGE = "message";
    /** {@code event} of a reply written by {@code respond(value)}. */
    public static final String RESPONSE = "response";
    /** {@code event} of the end marker when every listener returned normally. */
    public static final String RESPONSE_END = "response_end";
    /** {@code event} of the end marker when a listener failed; {@code error} says why. */
    public static final String RESPONSE_END_WITH_ERROR = "response_end_with_error";
    /** Every feedback topic is this prefix and a random UUID. */
    public static final String FEEDBACK_TOPIC_PREFIX = "streamback_feedback_";

    /**
     * Longest number, in digits, a record may hold. Python's {@code json} reads and writes integers
     * of up to 4,300 digits by default ({@code sys.get_int_max_str_digits()}); the bound keeps a
     * hostile record from costing seconds of BigInteger parsing.
     */
    public static final int MAX_NUMBER_DIGITS = 100_000;

    /** A feedback topic as both libraries write it, found even in a record that is not valid JSON. */
    private static final Pattern FEEDBACK_TOPIC_FIELD = Pattern.compile(
            "\"feedback_topic\"\\s*:\\s*\"(" + FEEDBACK_TOPIC_PREFIX + "[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\"");

    // JSON as Python's json module reads and writes it: NaN, Infinity and -Infinity are bare tokens.
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_DIGITS).build())
                    .build())
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .addModule(new ParameterNamesModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private WireFormat() {
    }

    /** The JSON mapper for message values and replies: records, POJOs and maps; unknown fields ignored. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new feedback topic: {@code streamback_feedback_} and a random lowercase UUID. */
    public static String newFeedbackTopic() {
        return FEEDBACK_TOPIC_PREFIX + UUID.randomUUID();
    }

    /** The Kafka record value for {@code send(topic, value)}. */
    public static byte[] encodeMessage(Object value, String feedbackTopic, String sourceGroup) {
        JsonNode json = toJson(value);
        // Written field by field: the same bytes as an ObjectNode of the four fields, without building one per send.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator record = MAPPER.createGenerator(bytes)) {
            record.writeStartObject();
            record.writeFieldName("value");
            MAPPER.writeTree(record, json);
            record.writeStringField("event", MESSAGE);
            record.writeStringField("feedback_topic", feedbackTopic);
            record.writeStringField("source_group", sourceGroup);
            record.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a main stream record value.
     *
     * @throws MalformedRecordException when it is not UTF-8 JSON holding an object
     */
    public static MainRecord decodeMessage(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedRecordException("record has no value (null)");
        }
        JsonNode node;
        if (isAscii(bytes)) {
            // What Python's json.dumps writes by default (ensure_ascii): parsed as it is, no String in between.
            try {
                node = parse(bytes);
            } catch (MalformedRecordException e) {
                throw new MalformedRecordException(e.getMessage(),
                        findFeedbackTopic(new String(bytes, StandardCharsets.US_ASCII)));
            }
        } else {
            String json = strictUtf8(bytes);
            try {
                node = parse(json);
            } catch (MalformedRecordException e) {
                throw new MalformedRecordException(e.getMessage(), findFeedbackTopic(json));
            }
        }
        if (!node.isObject()) {
            throw new MalformedRecordException("record value is JSON but not an object (" + describe(node) + ")");
        }
        JsonNode event = node.get("event");
        if (event != null && !event.isNull() && !event.isTextual()) {
            throw new MalformedRecordException("field 'event' is not a string (" + describe(event) + ")",
                    text(node, "feedback_topic"));
        }
        return new MainRecord(
                node.hasNonNull("value") ? node.get("value") : NullNode.getInstance(),
                text(node, "feedback_topic"),
                text(node, "source_group"));
    }

    /** The feedback entry written by {@code respond(value)}. */
    public static String encodeResponse(Object value, String sourceGroup) {
        JsonNode json = toJson(value);
        return writeEntry(entry -> {
            entry.writeFieldName("value");
            MAPPER.writeTree(entry, json);
            entry.writeStringField("event", RESPONSE);
            entry.writeStringField("source_group", sourceGroup);
        });
    }

    /** The end marker pushed once all listeners for a record returned; {@code error} null when none failed. */
    public static String encodeEnd(String error, String sourceGroup) {
        return writeEntry(entry -> {
            entry.writeStringField("event", error == null ? RESPONSE_END : RESPONSE_END_WITH_ERROR);
            entry.writeStringField("error", error);
            entry.writeStringField("source_group", sourceGroup);
        });
    }

    /** The fields of a feedback entry, in their order. */
    private interface EntryFields {
        void write(JsonGenerator entry) throws IOException;
    }

    /** A feedback entry written field by field: the same text as an {@code ObjectNode} of them, without building one per reply. */
    private static String writeEntry(EntryFields fields) {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator entry = MAPPER.createGenerator(text)) {
            entry.writeStartObject();
            fields.write(entry);
            entry.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("A feedback entry could not be written", e);
        }
        return text.toString();
    }

    /**
     * Reads a feedback entry.
     *
     * @throws MalformedRecordException when it is not a JSON object
     */
    public static FeedbackEntry decodeFeedback(String json) {
        JsonNode node = parse(json);
        if (!node.isObject()) {
            throw new MalformedRecordException("feedback entry is JSON but not an object (" + describe(node) + ")");
        }
        return new FeedbackEntry(
                text(node, "event"),
                node.hasNonNull("value") ? node.get("value") : NullNode.getInstance(),
                text(node, "error"),
                text(node, "source_group"));
    }

    /**
     * Any Jackson-serialisable value as a JSON tree; a {@code JsonNode} is returned as it is, not copied.
     *
     * @throws IllegalArgumentException when Jackson can't write it, or would write an object whose
     *         class has fields as {@code {}} (no getters nor public fields: its data would be lost)
     */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof JsonNode node) {
            return node; // written at once, never kept: no copy needed
        }
        // The common scalars directly: valueToTree would write each to a token buffer and read it back.
        if (value instanceof String text) {
            return TextNode.valueOf(text);
        }
        if (value instanceof Integer number) {
            return IntNode.valueOf(number);
        }
        if (value instanceof Long number) {
            return LongNode.valueOf(number);
        }
        if (value instanceof Double number) {
            return DoubleNode.valueOf(number);
        }
        if (value instanceof Boolean bool) {
            return BooleanNode.valueOf(bool);
        }
        JsonNode json;
        try {
            json = MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Cannot write a " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
        if (json.isObject() && json.isEmpty() && !(value instanceof Map<?, ?>) && hasInstanceFields(value.getClass())) {
            throw new IllegalArgumentException("A " + value.getClass().getName() + " has fields but would be written "
                    + "as {}: Jackson sees no properties in it (give it getters or public fields, or make it a record)");
        }
        return json;
    }

    private static boolean hasInstanceFields(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Converts a JSON value to {@code type}, ignoring unknown fields. */
    public static <T> T convert(JsonNode value, Class<T> type) {
        try {
            return MAPPER.treeToValue(value, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Cannot read " + describe(value) + " as " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /** The producer's feedback topic in a record that could not be parsed, so it can still be told; null if none. */
    private static String findFeedbackTopic(String json) {
        Matcher found = FEEDBACK_TOPIC_FIELD.matcher(json);
        return found.find() ? found.group(1) : null;
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException("record value is not valid UTF-8");
        }
    }

    private static JsonNode parse(String json) {
        try {
            return checkNotEmpty(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("record value is not JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode parse(byte[] json) {
        try {
            return checkNotEmpty(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("record value is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Reading JSON from memory failed", e);
        }
    }

    private static JsonNode checkNotEmpty(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new MalformedRecordException("record value is empty, not JSON");
        }
        return node;
    }

    /** Eight bytes at a time: it runs over every record a listener gets. */
    private static boolean isAscii(byte[] bytes) {
        int i = 0;
        for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
            if (((long) EIGHT_BYTES.get(bytes, i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String describe(JsonNode node) {
        JsonNodeType type = node.getNodeType();
        return switch (type) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> type.name().toLowerCase();
        };
    }
}
