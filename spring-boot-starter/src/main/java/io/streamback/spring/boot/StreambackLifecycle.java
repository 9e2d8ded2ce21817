package io.streamback.spring.boot;

import io.streamback.Streamback;
import io.streamback.listener.Listen;
import io.streamback.listener.Listener;
import io.streamback.listener.Router;
import io.streamback.schedule.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.ClassUtils;

/**
 * Registers the application's listener, router and schedule beans with the {@link Streamback} bean,
 * starts it once every singleton exists, and closes it on shutdown: the records in hand finish and
 * are committed, and the replies and end markers are pushed, before the context goes on closing.
 *
 * <p>Discovered beans: singletons with public {@link Listen @Listen} methods, singleton
 * {@link Listener}s annotated with {@code @Listen}, {@link Router}s and {@link Schedule}s.
 */
public class StreambackLifecycle implements SmartLifecycle {
    /**
     * Started before the web server (and stopped after its graceful shutdown), so that a request
     * that calls a listener of this same application finds it running while the request drains.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(StreambackLifecycle.class);

    private final Streamback streamback;
    private final ConfigurableListableBeanFactory beanFactory;
    private final Duration startupTimeout;
    private final boolean autoStartup;
    private volatile boolean running;

    public StreambackLifecycle(Streamback streamback, ConfigurableListableBeanFactory beanFactory,
                               Duration startupTimeout, boolean autoStartup) {
        this.streamback = streamback;
        this.beanFactory = beanFactory;
        this.startupTimeout = startupTimeout;
        this.autoStartup = autoStartup;
    }

    /**
     * Registers the beans and waits until the listeners have their partitions, so that the
     * application is ready only once its listeners are.
     *
     * @throws io.streamback.StreamUnavailableException when Kafka or Redis can't be reached
     * @throws IllegalStateException when the listeners have no partitions within the startup timeout
     */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        List<String> registered = registerBeans();
        log.info("Streamback '{}' starting with beans {}", streamback.name(), registered);
        try {
            streamback.startAsync().get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while Streamback '" + streamback.name() + "' was starting", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Streamback '" + streamback.name() + "': the listeners did not get their "
                    + "partitions within " + startupTimeout.toSeconds() + " s (streamback.startup-timeout)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("Streamback '" + streamback.name() + "' failed to start: " + e.getCause(),
                    e.getCause());
        }
        running = true;
    }

    /** Stops polling, lets the records in hand finish, commits them and releases the connections. */
    @Override
    public synchronized void stop() {
        streamback.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private List<String> registerBeans() {
        List<String> registered = new ArrayList<>();
        // Singletons only, and without initialising lazy FactoryBeans just to learn their type.
        for (String name : beanFactory.getBeanNamesForType(Object.class, false, false)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type != null && register(name, ClassUtils.getUserClass(type))) {
                registered.add(name);
            }
        }
        return registered;
    }

    private boolean register(String name, Class<?> type) {
        if (Router.class.isAssignableFrom(type)) {
            streamback.includeRouter(beanFactory.getBean(name, Router.class));
            return true;
        }
        if (Schedule.class.isAssignableFrom(type)) {
            streamback.schedule(beanFactory.getBean(name, Schedule.class));
            return true;
        }
        if (isAnnotatedListener(type) || hasListenMethods(type)) {
            Object bean = beanFactory.getBean(name);
            if (AopUtils.isAopProxy(bean)) {
                throw new IllegalStateException("Listener bean '" + name + "' is a proxy (of " + type.getName()
                        + ", e.g. for @Transactional or @Async): Streamback reads @Listen from the object's own class."
                        + " Put the @Listen methods on a bean that is not proxied and call the proxied one from it");
            }
            streamback.register(bean);
            return true;
        }
        if (Listener.class.isAssignableFrom(type)) {
            log.warn("Listener bean '{}' ({}) has no @Listen(topic = ...) and is not registered", name, type.getName());
        }
        return false;
    }

    private static boolean isAnnotatedListener(Class<?> type) {
        return Listener.class.isAssignableFrom(type) && type.isAnnotationPresent(Listen.class);
    }

    /** As the library finds them: public methods, annotated where they are declared. */
    private static boolean hasListenMethods(Class<?> type) {
        return Arrays.stream(type.getMethods()).anyMatch(method -> method.isAnnotationPresent(Listen.class));
    }
}
