package io.streamback.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.internal.feedback.FeedbackWriter;
import io.streamback.internal.redis.FeedbackStore.Delivery;
import io.streamback.internal.wire.MainRecord;
import io.streamback.internal.wire.WireFormat;
import io.streamback.listener.Message;
import java.util.Optional;

/** A {@link Message} decoded from a main stream record; its replies go out through the {@link FeedbackWriter}. */
final class ReceivedMessage implements Message {
    private final String topic;
    private final int partition;
    private final long offset;
    private final String key;
    private final MainRecord record;
    private final FeedbackWriter feedback;
    private final boolean moreFollow;
    private boolean replied;

    ReceivedMessage(String topic, int partition, long offset, String key, MainRecord record, FeedbackWriter feedback,
                    boolean moreFollow) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.record = record;
        this.feedback = feedback;
        this.moreFollow = moreFollow;
    }

    @Override
    public JsonNode value() {
        return record.value();
    }

    @Override
    public <T> T map(Class<T> type) {
        return WireFormat.convert(record.value(), type);
    }

    @Override
    public void respond(Object value) {
        // An RPC's reply on a quiet worker goes out at once on this thread; while more records wait,
        // and after the first reply, the writer thread pipelines them and the listener goes on.
        Delivery delivery = moreFollow || replied ? Delivery.QUEUED : Delivery.DIRECT_WHEN_IDLE;
        replied = true;
        feedback.respond(record.feedbackTopic(), value, delivery);
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public Optional<String> sourceGroup() {
        return Optional.ofNullable(record.sourceGroup());
    }

    @Override
    public Optional<String> feedbackTopic() {
        return Optional.ofNullable(record.feedbackTopic());
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", partition=" + partition + ", offset=" + offset
                + (key == null ? "" : ", key=" + key) + "]";
    }
}
