package io.streamback.examples;

import io.streamback.callback.Callback;
import io.streamback.listener.Context;
import io.streamback.listener.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each listener failure and each worker start, as the Python README's callbacks print them. */
final class ExampleCallbacks implements Callback {
    private static final Logger log = LoggerFactory.getLogger(ExampleCallbacks.class);

    @Override
    public void onWorkerStart(String workerName) {
        log.info("worker {} started", workerName);
    }

    @Override
    public void onConsumeException(Context context, Message message, Exception exception) {
        log.warn("listener {} failed on {}: {}", context.listenerName(), message, exception.toString());
    }
}
