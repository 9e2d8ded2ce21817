package io.streamback.callback;

import io.streamback.StreambackException;
import io.streamback.listener.Sender;

/**
 * The {@code Streamback} a callback runs in, as callbacks see it: it sends, and it can recycle
 * its workers or stop, as {@link AutoRestart} does. A narrow view, so that callbacks do not
 * depend on the facade that calls them.
 */
public interface RunningStreamback extends Sender {

    /** The application name. */
    String name();

    /** Replaces every consumer worker, one at a time, each finishing its record first. */
    void recycleWorkers();

    /** Stops in the background because of {@code reason}, which a blocked {@code start()} then throws. */
    void closeExceptionally(StreambackException reason);
}
