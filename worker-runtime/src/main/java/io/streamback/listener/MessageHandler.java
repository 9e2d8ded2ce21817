package io.streamback.listener;

/**
 * A listener function: called once for each message on its topic. Throwing fails the message:
 * the producer, if it reads feedback, gets the error text.
 */
@FunctionalInterface
public interface MessageHandler {
    void handle(Context context, Message message) throws Exception;
}
