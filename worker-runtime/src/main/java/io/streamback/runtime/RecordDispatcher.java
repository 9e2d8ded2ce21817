package io.streamback.runtime;

import io.streamback.Streamback;
import io.streamback.feedback.FeedbackWriter;
import io.streamback.listener.Context;
import io.streamback.listener.ListenerRegistration;
import io.streamback.listener.Message;
import io.streamback.wire.MainRecord;
import io.streamback.wire.MalformedRecordException;
import io.streamback.wire.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one main stream record: calls every listener of its topic in turn, then pushes the
 * end marker (with the listeners' errors, if any) to the producer's feedback topic.
 */
public final class RecordDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RecordDispatcher.class);

    private final Streamback streamback;
    private final Map<String, List<ListenerRegistration>> listenersByTopic;
    private final FeedbackWriter feedback;

    public RecordDispatcher(Streamback streamback, Map<String, List<ListenerRegistration>> listenersByTopic,
                            FeedbackWriter feedback) {
        this.streamback = streamback;
        this.listenersByTopic = listenersByTopic;
        this.feedback = feedback;
    }

    /** Never throws for a listener's failure or a malformed record: those are reported and the record is done. */
    public void dispatch(ConsumerRecord<String, byte[]> record) {
        MainRecord decoded;
        try {
            decoded = WireFormat.decodeMessage(record.value());
        } catch (MalformedRecordException e) {
            log.warn("Skipping record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        Message message = new Message(record.topic(), record.partition(), record.offset(), record.key(), decoded, feedback);
        List<String> errors = new ArrayList<>();
        for (ListenerRegistration listener : listenersByTopic.getOrDefault(record.topic(), List.of())) {
            try {
                listener.handler().handle(new Context(streamback, listener.name()), message);
            } catch (Exception e) {
                log.error("Listener {} failed on record {}-{}@{}", listener.name(),
                        record.topic(), record.partition(), record.offset(), e);
                errors.add(errorText(e));
            }
        }
        feedback.end(decoded.feedbackTopic(), errors.isEmpty() ? null : String.join(", ", errors));
    }

    /** The text the producer sees: the exception's simple type name and its message, e.g. {@code IllegalStateException: boom}. */
    static String errorText(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
