package io.streamback.bench;

import io.streamback.Streamback;
import io.streamback.bench.baseline.BaselineClient;
import io.streamback.bench.baseline.BaselineListener;
import io.streamback.listener.ListenerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * Child JVM main for the memory scenario: a worker process with N consumer workers running a
 * no-op listener, either Streamback's ({@code ListenerOptions.topic(t).concurrency(N)}) or the
 * baseline's (N plain consumer threads). Prints {@code READY} once every worker has its
 * partitions, then runs until its stdin ends.
 *
 * <p>Arguments: {@code STREAMBACK|BASELINE workers kafka-host:port redis-host:port topic group}.
 */
public final class MemoryWorkerMain {
    private MemoryWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        Side side = Side.valueOf(args[0]);
        int workers = Integer.parseInt(args[1]);
        String kafka = args[2];
        HostAndPort redis = HostAndPort.from(args[3]);
        String topic = args[4];
        String group = args[5];
        if (side == Side.STREAMBACK) {
            try (Streamback streamback = Streamback.create(group,
                    "main=kafka://" + kafka + "&feedback=redis://" + redis.getHost() + ":" + redis.getPort())) {
                streamback.listen(ListenerOptions.topic(topic).concurrency(workers), (context, message) -> {
                });
                streamback.startAsync().get(180, TimeUnit.SECONDS);
                ready();
            }
        } else {
            List<BaselineListener> listeners = new ArrayList<>();
            try (JedisPooled pool = BaselineClient.pool(redis, workers)) {
                AtomicLong handled = new AtomicLong();
                for (int i = 1; i <= workers; i++) {
                    listeners.add(new BaselineListener(kafka, group, topic, pool, ListenerKind.NOOP, handled,
                            group + "-" + i).start());
                }
                CompletableFuture.allOf(listeners.stream().map(BaselineListener::assigned)
                        .toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
                ready();
                for (BaselineListener listener : listeners) {
                    listener.close();
                }
            }
        }
        System.exit(0);
    }

    private static void ready() throws Exception {
        System.out.println("READY");
        System.out.flush();
        ChildJvm.awaitParentGone();
    }
}
