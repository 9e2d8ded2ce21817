package io.streamback.internal.runtime;

import io.streamback.callback.Callback;
import io.streamback.callback.RunningStreamback;
import io.streamback.listener.Context;
import io.streamback.listener.Message;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls every registered {@link Callback} in order; a callback's exception is logged, never passed
 * on. So is an {@link Error} from a per-record or tick hook: it would otherwise fail the worker on
 * the same record again and again. An Error from {@code onWorkerStart} fails that worker's start,
 * which is retried with back-off.
 */
public final class Callbacks {
    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private final List<Callback> callbacks = new CopyOnWriteArrayList<>();

    public void add(Callback callback) {
        callbacks.add(callback);
    }

    public void workerStarted(String workerName) {
        for (Callback callback : callbacks) {
            try {
                callback.onWorkerStart(workerName);
            } catch (RuntimeException | LinkageError e) {
                log.error("Callback {}.onWorkerStart failed; consumption goes on", callback.getClass().getName(), e);
            }
        }
    }

    public void consumeBegin(Context context, Message message) {
        each("onConsumeBegin", callback -> callback.onConsumeBegin(context, message));
    }

    public void consumeException(Context context, Message message, Exception exception) {
        each("onConsumeException", callback -> callback.onConsumeException(context, message, exception));
    }

    public void consumeEnd(Context context, Message message, Exception exception) {
        each("onConsumeEnd", callback -> callback.onConsumeEnd(context, message, exception));
    }

    public void tick(RunningStreamback streamback) {
        each("onTick", callback -> callback.onTick(streamback));
    }

    private void each(String hook, Consumer<Callback> call) {
        for (Callback callback : callbacks) {
            try {
                call.accept(callback);
            } catch (RuntimeException | Error e) {
                log.error("Callback {}.{} failed; consumption goes on", callback.getClass().getName(), hook, e);
            }
        }
    }
}
