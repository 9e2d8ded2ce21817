package io.streamback.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded main stream record.
 *
 * @param value         the message body; a {@code NullNode} when absent
 * @param feedbackTopic where replies go; null when the producer gave none
 * @param sourceGroup   the producing application; null when the producer gave none
 */
public record MainRecord(JsonNode value, String feedbackTopic, String sourceGroup) {
}
