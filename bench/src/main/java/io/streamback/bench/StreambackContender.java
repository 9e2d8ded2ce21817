package io.streamback.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import io.streamback.listener.MessageHandler;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Streamback as an application would use it: one Streamback listening, another sending, default settings. */
final class StreambackContender implements Contender {
    private final Streamback listener;
    private final Streamback client;
    private final String topic;
    private final AtomicLong handled;

    private StreambackContender(Streamback listener, Streamback client, String topic, AtomicLong handled) {
        this.listener = listener;
        this.client = client;
        this.topic = topic;
        this.handled = handled;
    }

    static StreambackContender start(BenchContext context, String topic, ListenerKind kind) throws Exception {
        AtomicLong handled = new AtomicLong();
        Streamback listener = Streamback.builder(Testkit.uniqueName("sb-listener"))
                .streams(context.servers().streamsUrl())
                .openTelemetry(context.tracing().openTelemetry())
                .build();
        // Each blocking read holds a Redis connection: as many as there are callers (64 by default anyway).
        Streamback client = Streamback.builder(Testkit.uniqueName("sb-client"))
                .streams(context.servers().streamsUrl())
                .feedbackConnections(Math.max(64, context.sizes().callers()))
                .openTelemetry(context.tracing().openTelemetry())
                .build();
        try {
            listener.listen(topic, handler(kind, handled));
            listener.startAsync().get(120, TimeUnit.SECONDS);
            return new StreambackContender(listener, client, topic, handled);
        } catch (Exception | Error e) {
            client.close();
            listener.close();
            throw e;
        }
    }

    static MessageHandler handler(ListenerKind kind, AtomicLong handled) {
        return switch (kind) {
            case NOOP -> (context, message) -> handled.incrementAndGet();
            case ECHO -> (context, message) -> {
                message.respond(message.value());
                handled.incrementAndGet();
            };
            case STREAM -> (context, message) -> {
                int replies = message.value().path("replies").asInt();
                for (int i = 0; i < replies; i++) {
                    message.respond(i);
                }
                handled.incrementAndGet();
            };
        };
    }

    @Override
    public String group() {
        return listener.name();
    }

    @Override
    public Optional<JsonNode> call(JsonNode value, Duration timeout) {
        return client.send(topic, value).read(timeout).map(Reply::value);
    }

    @Override
    public CompletableFuture<?> send(JsonNode value) {
        return client.send(topic, value).sent();
    }

    @Override
    public long stream(JsonNode value, Duration timeout) {
        return client.send(topic, value).stream(timeout).count();
    }

    @Override
    public long handled() {
        return handled.get();
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            listener.close();
        }
    }
}
