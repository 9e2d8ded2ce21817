package io.streamback.listener;

/**
 * A class-based listener: one instance per consumer worker, so it may keep state (a batch, a
 * connection) without locking. Streamback calls {@link #flush()} before it commits on shutdown,
 * on rebalance and when a worker is recycled, so buffered work is never lost to those.
 *
 * <pre>{@code
 * @Listen(topic = "new_log")
 * class LogsConsumer implements Listener {
 *     private final List<JsonNode> logs = new ArrayList<>();
 *
 *     public void consume(Context context, Message message) {
 *         logs.add(message.value());
 *         if (logs.size() > 100) flush();
 *     }
 *
 *     public void flush() {
 *         database.commit(logs);
 *         logs.clear();
 *     }
 * }
 * }</pre>
 */
public interface Listener {
    void consume(Context context, Message message) throws Exception;

    /** Writes out anything buffered. Called on the worker's thread, never concurrently with {@link #consume}. */
    default void flush() throws Exception {
    }
}
