package io.streamback.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.bench.BenchContext;
import io.streamback.bench.Contender;
import io.streamback.bench.ListenerKind;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.JedisPooled;

/** The hand-written baseline: a {@link BaselineListener} and a {@link BaselineClient}, sized as Streamback's defaults. */
public final class BaselineContender implements Contender {
    /** As Streamback's default {@code feedbackConnections}: enough for 64 callers blocked in BRPOP. */
    private static final int REDIS_CONNECTIONS = 64;

    private final BaselineListener listener;
    private final JedisPooled listenerRedis;
    private final BaselineClient client;
    private final String topic;
    private final String group;
    private final AtomicLong handled;

    private BaselineContender(BaselineListener listener, JedisPooled listenerRedis, BaselineClient client, String topic,
                              String group, AtomicLong handled) {
        this.listener = listener;
        this.listenerRedis = listenerRedis;
        this.client = client;
        this.topic = topic;
        this.group = group;
        this.handled = handled;
    }

    public static BaselineContender start(BenchContext context, String topic, ListenerKind kind) throws Exception {
        String group = Testkit.uniqueName("bl-listener");
        AtomicLong handled = new AtomicLong();
        JedisPooled listenerRedis = BaselineClient.pool(context.servers().redis(), REDIS_CONNECTIONS);
        BaselineListener listener = new BaselineListener(context.servers().bootstrapServers(), group, topic,
                listenerRedis, kind, handled, group + "-consumer").start();
        BaselineClient client = new BaselineClient(context.servers().bootstrapServers(), context.servers().redis(),
                Math.max(REDIS_CONNECTIONS, context.sizes().callers()), Testkit.uniqueName("bl-client"));
        try {
            listener.assigned().get(120, TimeUnit.SECONDS);
            return new BaselineContender(listener, listenerRedis, client, topic, group, handled);
        } catch (Exception | Error e) {
            client.close();
            listener.close();
            listenerRedis.close();
            throw e;
        }
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public Optional<JsonNode> call(JsonNode value, Duration timeout) throws Exception {
        return client.call(topic, value, timeout);
    }

    @Override
    public CompletableFuture<?> send(JsonNode value) {
        return client.send(topic, value);
    }

    @Override
    public long stream(JsonNode value, Duration timeout) throws Exception {
        return client.stream(topic, value, timeout);
    }

    @Override
    public long handled() {
        return handled.get();
    }

    @Override
    public void close() {
        try {
            client.close();
            listener.close();
        } finally {
            listenerRedis.close();
        }
    }
}
