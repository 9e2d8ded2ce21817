package io.streamback.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects listeners, e.g. in another class or module, for {@code Streamback.includeRouter(router)}.
 * {@code Streamback} registers its own listeners the same way.
 */
public class Router {
    private final List<ListenerDefinition> definitions = new ArrayList<>();

    /** A router with no listeners yet. */
    public Router() {
    }

    /** Calls {@code handler} for every message on {@code topic}. */
    public Router listen(String topic, MessageHandler handler) {
        return listen(ListenerOptions.topic(topic), handler);
    }

    /** Calls {@code handler} for every message on the options' topics, with their concurrency and retries. */
    public Router listen(ListenerOptions options, MessageHandler handler) {
        Listener listener = handler::handle;
        return add(options, () -> listener, options.name().orElse(null));
    }

    /** A class-based listener: {@code factory} makes one instance per consumer worker. */
    public Router listen(ListenerOptions options, Supplier<? extends Listener> factory) {
        return add(options, factory, null);
    }

    /**
     * Registers every {@link Listen}-annotated method of {@code listeners}, or, when it is an
     * annotated {@link Listener}, the instance itself. An instance serves one worker, so its
     * concurrency may not exceed 1; register the class or a factory for more.
     *
     * @throws IllegalArgumentException when a listener is misdeclared, naming the method and parameter,
     *                                  or is a {@link Listener} instance with a concurrency above 1
     */
    public Router register(Object listeners) {
        definitions.addAll(AnnotatedListeners.of(listeners));
        return this;
    }

    /**
     * Registers an annotated {@link Listener} class; each consumer worker gets its own instance
     * from the public no-argument constructor.
     */
    public Router register(Class<? extends Listener> listenerClass) {
        definitions.add(AnnotatedListeners.ofClass(listenerClass));
        return this;
    }

    /** Adds every listener of {@code router}. */
    public Router includeRouter(Router router) {
        definitions.addAll(router.definitions());
        return this;
    }

    /** The listeners registered so far, in order. */
    public List<ListenerDefinition> definitions() {
        return List.copyOf(definitions);
    }

    private Router add(ListenerOptions options, Supplier<? extends Listener> factory, String explicitName) {
        String name = explicitName != null ? explicitName
                : String.join(",", options.topics()) + "#" + (definitions.size() + 1);
        definitions.add(new ListenerDefinition(name, options.topics(), options.concurrency(), options.retry(), factory));
        return this;
    }
}
