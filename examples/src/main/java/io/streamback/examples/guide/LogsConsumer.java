package io.streamback.examples.guide;

import static io.streamback.examples.guide.Database.database;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.listener.Context;
import io.streamback.listener.Listen;
import io.streamback.listener.Listener;
import io.streamback.listener.Message;
import java.util.ArrayList;
import java.util.List;

/** The guide's class-based consumer (docs/guide.md, "Class based consumers"). */
// tag::class[]
@Listen(topic = "new_log")
public class LogsConsumer implements Listener {
    private final List<JsonNode> logs = new ArrayList<>();

    public void consume(Context context, Message message) {
        logs.add(message.value());
        if (logs.size() > 100) flush();
    }

    public void flush() {
        try {
            database.commit(logs);
        } finally {
            logs.clear();   // on failure too: Streamback delivers these records again
        }
    }
}
// end::class[]
