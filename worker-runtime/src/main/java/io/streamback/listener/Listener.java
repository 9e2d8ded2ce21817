package io.streamback.listener;

/**
 * A class-based listener: one instance per consumer worker, so it may keep state (a batch, a
 * connection) without locking.
 *
 * <p>A listener that overrides {@link #flush()} buffers: its records are committed only once a
 * {@code flush()} after them returned normally, so buffered work is never lost, not even to a
 * {@code kill -9}. Streamback calls {@code flush()} every few seconds while such records wait
 * ({@code ConsumerWorker.FLUSH_INTERVAL}), and before it hands partitions over, stops or recycles
 * the worker. When {@code flush()} throws, every record since the last successful flush is
 * delivered again: drop the buffer then, or those records would be written twice.
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
 *         try {
 *             database.commit(logs);
 *         } finally {
 *             logs.clear();
 *         }
 *     }
 * }
 * }</pre>
 */
public interface Listener {
    void consume(Context context, Message message) throws Exception;

    /**
     * Writes out anything buffered. Called on the thread that calls {@link #consume}, never
     * concurrently with it. Throwing means nothing since the last successful flush was written.
     */
    default void flush() throws Exception {
    }
}
