package io.streamback.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.listener.Context;
import io.streamback.listener.Listen;
import io.streamback.listener.Listener;
import io.streamback.listener.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * A class-based consumer that writes log lines in batches. Each consumer worker has its own
 * instance; Streamback flushes it before committing on shutdown, rebalance and recycle.
 */
@Listen(topic = "new_log")
public final class LogsConsumer implements Listener {
    private static final int BATCH = 100;
    private final List<JsonNode> logs = new ArrayList<>();

    @Override
    public void consume(Context context, Message message) {
        logs.add(message.value());
        if (logs.size() >= BATCH) {
            flush();
        }
    }

    @Override
    public void flush() {
        if (!logs.isEmpty()) {
            System.out.println("flushed " + logs.size() + " log line(s) to the database");
            logs.clear();
        }
    }
}
