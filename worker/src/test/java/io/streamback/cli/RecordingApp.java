package io.streamback.cli;

import io.streamback.Streamback;
import io.streamback.StreambackApp;
import io.streamback.listener.Context;
import io.streamback.listener.Message;
import redis.clients.jedis.JedisPooled;

/**
 * The listener app the worker-process tests run in a child JVM: on topic TEST_TOPIC it takes
 * TEST_DELAY_MS per record, appends each record's "id" to the Redis list TEST_TOPIC + ":handled"
 * and replies "done".
 */
public final class RecordingApp implements StreambackApp {
    @Override
    public String name() {
        return "recording-app";
    }

    @Override
    public void configure(Streamback streamback) {
        String topic = System.getenv("TEST_TOPIC");
        long delay = Long.parseLong(System.getenv().getOrDefault("TEST_DELAY_MS", "0"));
        JedisPooled redis = new JedisPooled(System.getenv("TEST_REDIS_HOST"), Integer.parseInt(System.getenv("TEST_REDIS_PORT")));
        streamback.listen(topic, (Context context, Message message) -> {
            Thread.sleep(delay);
            redis.rpush(topic + ":handled", message.value().get("id").asText());
            message.respond("done");
        });
        streamback.listen(topic + "-other", (context, message) -> message.respond("other"));
    }
}
