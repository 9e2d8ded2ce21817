package io.streamback.callback;

import io.streamback.listener.Context;
import io.streamback.listener.Message;

/**
 * Hooks into the listener lifecycle, for logging, metrics and extensions such as
 * {@link ListenerStats} and {@link AutoRestart}. Every method has an empty default; an
 * exception thrown by a callback is logged and never stops consumption.
 *
 * <p>For each listener and message: {@code onConsumeBegin}, the listener (with its retries),
 * then on failure {@code onConsumeException}, then {@code onConsumeEnd}. Consume hooks run on
 * the worker's thread, so workers call them concurrently.
 */
public interface Callback {
    /** A consumer worker starts (also after a restart or recycle): the Java form of Python's {@code on_fork}. */
    default void onWorkerStart(String workerName) {
    }

    default void onConsumeBegin(Context context, Message message) {
    }

    /**
     * @param exception the listener's final failure, or null when it returned normally; an
     *                  {@link Error} the listener threw comes as a
     *                  {@link io.streamback.listener.ListenerErrorException} whose cause it is
     */
    default void onConsumeEnd(Context context, Message message, Exception exception) {
    }

    default void onConsumeException(Context context, Message message, Exception exception) {
    }

    /** Called about once a second while the listeners run. */
    default void onTick(RunningStreamback streamback) {
    }
}
