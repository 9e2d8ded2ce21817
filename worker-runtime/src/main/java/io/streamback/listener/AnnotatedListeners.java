package io.streamback.listener;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.internal.wire.WireFormat;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns {@link Listen}-annotated methods and classes into listener definitions, checking every
 * declaration up front so a mistake fails at registration rather than at the first message.
 */
final class AnnotatedListeners {
    private AnnotatedListeners() {
    }

    static List<ListenerDefinition> of(Object target) {
        Class<?> type = target.getClass();
        if (target instanceof Listener listener && type.isAnnotationPresent(Listen.class)) {
            ListenerDefinition definition = definition(type.getAnnotation(Listen.class), type.getSimpleName(), () -> listener);
            Concurrency concurrency = definition.concurrency();
            if (concurrency.scalesByLag() || concurrency.initialWorkers() > 1) {
                // A Listener instance belongs to one worker (no locking needed): one instance can't serve several.
                throw new IllegalArgumentException("Listener " + definition.name() + " is registered as an instance, but"
                        + " its @Listen concurrency gives it more than one worker and each worker needs its own"
                        + " instance: register the class (register(" + type.getSimpleName() + ".class)) or a factory"
                        + " (listen(options, " + type.getSimpleName() + "::new))");
            }
            return List.of(definition);
        }
        List<ListenerDefinition> definitions = new ArrayList<>();
        for (Method method : type.getMethods()) {
            Listen listen = method.getAnnotation(Listen.class);
            if (listen != null) {
                String name = type.getSimpleName() + "." + method.getName();
                Listener listener = methodListener(target, method, name);
                definitions.add(definition(listen, name, () -> listener));
            }
        }
        if (definitions.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no public @Listen method"
                    + " (and is not a Listener annotated with @Listen)");
        }
        return definitions;
    }

    static ListenerDefinition ofClass(Class<? extends Listener> type) {
        Listen listen = type.getAnnotation(Listen.class);
        if (listen == null) {
            throw new IllegalArgumentException(type.getName() + " needs @Listen(topic = ...) to be registered by class");
        }
        Constructor<? extends Listener> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor:"
                    + " each consumer worker makes its own instance", e);
        }
        Supplier<Listener> factory = () -> {
            try {
                return constructor.newInstance();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("Creating listener " + type.getName() + " failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Creating listener " + type.getName() + " failed: " + e, e);
            }
        };
        return definition(listen, type.getSimpleName(), factory);
    }

    private static ListenerDefinition definition(Listen listen, String name, Supplier<? extends Listener> factory) {
        List<String> topics = new ArrayList<>(Arrays.asList(listen.topics()));
        if (!listen.topic().isEmpty()) {
            topics.add(0, listen.topic());
        }
        if (topics.isEmpty() || topics.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("Listener " + name + ": @Listen needs topic = \"...\" or topics = {...}");
        }
        Optional<RetryStrategy> retry = listen.retry().times() == Retry.INHERIT
                ? Optional.empty() : Optional.of(RetryStrategy.from(listen.retry()));
        return new ListenerDefinition(name, topics, concurrency(listen, name), retry, factory);
    }

    private static Concurrency concurrency(Listen listen, String name) {
        if (listen.concurrency() < 0) {
            throw new IllegalArgumentException("Listener " + name + ": concurrency must be 0 or more, got "
                    + listen.concurrency());
        }
        if (listen.concurrencyTiers().isBlank()) {
            return Concurrency.fixed(listen.concurrency());
        }
        if (listen.concurrency() != 0) {
            throw new IllegalArgumentException("Listener " + name + ": @Listen takes concurrency or concurrencyTiers,"
                    + " not both");
        }
        try {
            return Concurrency.parse(listen.concurrencyTiers());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Listener " + name + ": " + e.getMessage(), e);
        }
    }

    private static Listener methodListener(Object target, Method method, String name) {
        if (Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException("Listener " + name + " is static; @Listen goes on instance methods");
        }
        method.setAccessible(true);
        Parameter[] parameters = method.getParameters();
        List<ArgumentResolver> resolvers = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            resolvers.add(resolver(name, i, parameters[i]));
        }
        return (context, message) -> {
            Object[] arguments = new Object[resolvers.size()];
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = resolvers.get(i).resolve(context, message);
            }
            try {
                method.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                throw (Error) cause;
            }
        };
    }

    private interface ArgumentResolver {
        Object resolve(Context context, Message message);
    }

    private static ArgumentResolver resolver(String listener, int index, Parameter parameter) {
        Input input = parameter.getAnnotation(Input.class);
        Class<?> type = parameter.getType();
        if (input != null) {
            if (input.value().isBlank()) {
                throw new IllegalArgumentException("Listener " + listener + ": @Input on parameter " + (index + 1)
                        + " needs a field name");
            }
            return inputResolver(listener, input.value(), parameter);
        }
        if (type == Context.class) {
            return (context, message) -> context;
        }
        if (type == Message.class) {
            return (context, message) -> message;
        }
        throw new IllegalArgumentException("Listener " + listener + ": parameter " + (index + 1) + " ("
                + type.getSimpleName() + " " + parameter.getName() + ") must be a Context, a Message, "
                + "or annotated with @Input(\"field\")");
    }

    private static ArgumentResolver inputResolver(String listener, String field, Parameter parameter) {
        JavaType type = WireFormat.mapper().getTypeFactory().constructType(parameter.getParameterizedType());
        boolean primitive = parameter.getType().isPrimitive();
        return (context, message) -> {
            JsonNode value = message.value().get(field);
            if (value == null || value.isNull()) {
                if (primitive) {
                    throw new InvalidInputException("Listener " + listener + ": field '" + field
                            + "' is missing, but the parameter is a " + type.getRawClass().getName(), null);
                }
                return null;
            }
            try {
                return WireFormat.mapper().convertValue(value, type);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("Listener " + listener + ": field '" + field + "' (" + value
                        + ") cannot be read as " + type.getTypeName() + ": " + firstLine(e.getMessage()), e);
            }
        };
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
