package io.streamback.reliability;

import io.streamback.Streamback;
import io.streamback.StreambackApp;
import io.streamback.listener.Context;
import io.streamback.listener.Listener;
import io.streamback.listener.ListenerOptions;
import io.streamback.listener.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.JedisPooled;

/**
 * The listener app the fault-injection tests run in a child JVM. On TEST_TOPIC it takes
 * TEST_DELAY_MS per record and records the record's "id": with TEST_SINK=redis (the default) it
 * appends it to the Redis list TEST_TOPIC + ":handled" (TEST_REDIS_HOST, TEST_REDIS_PORT); with
 * TEST_SINK=file it appends a line to the file TEST_FILE, so that handling does not depend on
 * Redis. It replies "done" only to messages whose "reply" is true. With TEST_BUFFER=N it buffers
 * the ids and records them N at a time, and whatever it holds when Streamback calls flush(); it
 * counts the records it was handed in TEST_TOPIC + ":handled:consumed".
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
        int buffer = Integer.parseInt(System.getenv().getOrDefault("TEST_BUFFER", "0"));
        if (buffer > 0) {
            streamback.listen(ListenerOptions.topic(topic), () -> new BufferingRecorder(sink, buffer, delay));
            return;
        }
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

        /** Counts a record handed to the listener, recorded or not yet. */
        default void consumed() {
        }
    }

    /** Records ids in batches: what it holds is lost if the process dies before a flush. */
    private static final class BufferingRecorder implements Listener {
        private final Sink sink;
        private final int size;
        private final long delay;
        private final List<String> held = new ArrayList<>();

        BufferingRecorder(Sink sink, int size, long delay) {
            this.sink = sink;
            this.size = size;
            this.delay = delay;
        }

        @Override
        public void consume(Context context, Message message) throws InterruptedException {
            if (delay > 0) {
                Thread.sleep(delay); // simulated work, not synchronisation
            }
            held.add(message.value().get("id").asText());
            sink.consumed();
            if (held.size() >= size) {
                flush();
            }
        }

        @Override
        public void flush() {
            held.forEach(sink::record);
            held.clear();
        }
    }

    private record RedisSink(String key, JedisPooled redis) implements Sink {
        @Override
        public void record(String id) {
            redis.rpush(key, id);
        }

        @Override
        public void consumed() {
            redis.incr(key + ":consumed");
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
