package io.streamback.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;

/** The message values the scenarios send: small JSON objects, as a typical RPC carries. */
final class Payloads {
    private Payloads() {
    }

    static JsonNode numbered(long sequence) {
        return JsonNodeFactory.instance.objectNode().put("seq", sequence).put("text", "Hello world!");
    }

    static JsonNode streamRequest(int replies) {
        return JsonNodeFactory.instance.objectNode().put("replies", replies);
    }

    /** An RPC call must be answered with its own value (compared as JSON text: 1 as an int or a long is one number). */
    static void checkEcho(JsonNode sent, Optional<JsonNode> reply) {
        if (reply.isEmpty() || !reply.get().toString().equals(sent.toString())) {
            throw new IllegalStateException("RPC answered " + reply + " to " + sent);
        }
    }
}
