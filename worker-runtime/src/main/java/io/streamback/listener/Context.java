package io.streamback.listener;

/** What a listener may need besides the message: the Streamback it runs in, to send further messages. */
public final class Context {
    private final Sender streamback;
    private final String listenerName;

    public Context(Sender streamback, String listenerName) {
        this.streamback = streamback;
        this.listenerName = listenerName;
    }

    public Sender streamback() {
        return streamback;
    }

    /** The name of the listener being called, as it appears in logs. */
    public String listenerName() {
        return listenerName;
    }
}
