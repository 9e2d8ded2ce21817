package io.streamback.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded feedback entry: a reply ({@link WireFormat#RESPONSE}) or an end marker.
 *
 * @param value the reply; a {@code NullNode} for end markers
 * @param error the listeners' error text of a {@link WireFormat#RESPONSE_END_WITH_ERROR}, else null
 */
public record FeedbackEntry(String event, JsonNode value, String error, String sourceGroup) {
    public boolean isResponse() {
        return WireFormat.RESPONSE.equals(event);
    }

    public boolean isEnd() {
        return WireFormat.RESPONSE_END.equals(event);
    }

    public boolean isEndWithError() {
        return WireFormat.RESPONSE_END_WITH_ERROR.equals(event);
    }
}
