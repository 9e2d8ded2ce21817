package io.streamback.listener;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.internal.feedback.FeedbackWriter;
import io.streamback.internal.wire.MainRecord;
import io.streamback.internal.wire.WireFormat;
import java.util.Optional;

/** One message from the main stream, as a listener sees it. */
public final class Message {
    private final String topic;
    private final int partition;
    private final long offset;
    private final String key;
    private final MainRecord record;
    private final FeedbackWriter feedback;

    public Message(String topic, int partition, long offset, String key, MainRecord record, FeedbackWriter feedback) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.record = record;
        this.feedback = feedback;
    }

    /** The message body as JSON; a {@code NullNode} when the producer sent none. */
    public JsonNode value() {
        return record.value();
    }

    /** The body mapped to {@code type} (records, POJOs, maps); unknown fields are ignored. */
    public <T> T map(Class<T> type) {
        return WireFormat.convert(record.value(), type);
    }

    /**
     * Sends {@code value} back to the producer, which reads it with {@code read()} or {@code stream()}.
     * May be called any number of times; replies arrive in order.
     */
    public void respond(Object value) {
        feedback.respond(record.feedbackTopic(), value);
    }

    /** The topic as named on the broker (with any topics prefix). */
    public String topic() {
        return topic;
    }

    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The application that sent the message, when it said. */
    public Optional<String> sourceGroup() {
        return Optional.ofNullable(record.sourceGroup());
    }

    /** Where replies to this message go, when the producer gave one. */
    public Optional<String> feedbackTopic() {
        return Optional.ofNullable(record.feedbackTopic());
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", partition=" + partition + ", offset=" + offset
                + (key == null ? "" : ", key=" + key) + "]";
    }
}
