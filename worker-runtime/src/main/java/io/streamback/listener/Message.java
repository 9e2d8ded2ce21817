package io.streamback.listener;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** One message from the main stream, as a listener sees it. */
public interface Message {
    /** The message body as JSON; a {@code NullNode} when the producer sent none. */
    JsonNode value();

    /** The body mapped to {@code type} (records, POJOs, maps); unknown fields are ignored. */
    <T> T map(Class<T> type);

    /**
     * Sends {@code value} back to the producer, which reads it with {@code read()} or {@code stream()}.
     * May be called any number of times; replies arrive in order.
     */
    void respond(Object value);

    /** The topic as named on the broker (with any topics prefix). */
    String topic();

    Optional<String> key();

    int partition();

    long offset();

    /** The application that sent the message, when it said. */
    Optional<String> sourceGroup();

    /** Where replies to this message go, when the producer gave one. */
    Optional<String> feedbackTopic();
}
