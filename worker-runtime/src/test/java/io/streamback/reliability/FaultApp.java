package io.streamback.reliability;

import io.streamback.Streamback;
import io.streamback.StreambackApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import redis.clients.jedis.JedisPooled;

/**
 * The listener app the fault-injection tests run in a child JVM. On TEST_TOPIC it takes
 * TEST_DELAY_MS per record and records the record's "id": with TEST_SINK=redis (the default) it
 * appends it to the Redis list TEST_TOPIC + ":handled" (TEST_REDIS_HOST, TEST_REDIS_PORT); with
 * TEST_SINK=file it appends a line to the file TEST_FILE, so that handling does not depend on
 * Redis. It replies "done" only to messages whose "reply" is true.
 */
public final class FaultApp implements StreambackApp {
    @Override
    public String name() {
        return "fault-app";
    }

    @Override
    public void configure(Streamback streamback) {
        String topic = System.getenv("TEST_TOPIC");
        long delay = Long.parseLong(System.getenv().getOrDefault("TEST_DELAY_MS", "0"));
        Sink sink = "file".equals(System.getenv().getOrDefault("TEST_SINK", "redis"))
                ? new FileSink(Path.of(System.getenv("TEST_FILE")))
                : new RedisSink(topic + ":handled",
                        new JedisPooled(System.getenv("TEST_REDIS_HOST"), Integer.parseInt(System.getenv("TEST_REDIS_PORT"))));
        streamback.listen(topic, (context, message) -> {
            if (delay > 0) {
                Thread.sleep(delay); // simulated work, not synchronisation
            }
            sink.record(message.value().get("id").asText());
            if (message.value().path("reply").asBoolean(false)) {
                message.respond("done");
            }
        });
    }

    private interface Sink {
        void record(String id);
    }

    private record RedisSink(String key, JedisPooled redis) implements Sink {
        @Override
        public void record(String id) {
            redis.rpush(key, id);
        }
    }

    private static final class FileSink implements Sink {
        private final FileChannel channel;

        FileSink(Path file) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void record(String id) {
            try {
                channel.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
