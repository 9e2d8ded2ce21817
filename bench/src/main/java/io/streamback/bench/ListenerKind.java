package io.streamback.bench;

/** What the listener under test does with each message. */
public enum ListenerKind {
    /** Nothing: a one-way stream (the end marker is still pushed, as the protocol says). */
    NOOP,
    /** Replies once with the message's value: an RPC. */
    ECHO,
    /** Replies {@code value.replies} times, with 0, 1, 2...: streamed feedback. */
    STREAM
}
