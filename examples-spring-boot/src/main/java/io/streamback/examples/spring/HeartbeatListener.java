package io.streamback.examples.spring;

import io.streamback.listener.Context;
import io.streamback.listener.Listen;
import io.streamback.listener.Listener;
import io.streamback.listener.Message;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** A class-based listener as a bean: receives what {@link HeartbeatSchedule} sends. */
@Component
@Listen(topic = "heartbeats")
public class HeartbeatListener implements Listener {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatListener.class);

    private final AtomicLong received = new AtomicLong();

    @Override
    public void consume(Context context, Message message) {
        log.info("heartbeat #{}: {}", received.incrementAndGet(), message.value());
    }

    public long received() {
        return received.get();
    }
}
