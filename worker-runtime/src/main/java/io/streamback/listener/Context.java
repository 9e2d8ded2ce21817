package io.streamback.listener;

import io.streamback.Streamback;

/** What a listener may need besides the message: the Streamback it runs in, e.g. to send further messages. */
public final class Context {
    private final Streamback streamback;
    private final String listenerName;

    public Context(Streamback streamback, String listenerName) {
        this.streamback = streamback;
        this.listenerName = listenerName;
    }

    public Streamback streamback() {
        return streamback;
    }

    /** The name of the listener being called, as it appears in logs. */
    public String listenerName() {
        return listenerName;
    }
}
