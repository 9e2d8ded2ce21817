package io.streamback.runtime;

import io.streamback.Streamback;
import io.streamback.feedback.FeedbackWriter;
import io.streamback.health.ListenerMetrics;
import io.streamback.kafka.KafkaClients;
import io.streamback.listener.ListenerDefinition;
import io.streamback.listener.RetryStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an application's listeners as consumer workers and keeps them running.
 *
 * <p>Listeners without a concurrency share one pool worker; a listener with concurrency N gets N
 * dedicated workers. Every worker calls all the listeners of a record's topic, each with the
 * worker's own listener instances. A worker that dies is restarted with backoff; {@link #recycle()}
 * replaces every worker gracefully, one at a time.
 */
public final class ListenerRuntime {
    private static final Logger log = LoggerFactory.getLogger(ListenerRuntime.class);
    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);
    private static final Duration LIVENESS_WINDOW = Duration.ofMinutes(2);

    /** The topics one worker subscribes to, and the listeners it calls. */
    private record WorkerPlan(String name, Set<String> topics, List<ListenerDefinition> listeners) {
    }

    private final Streamback streamback;
    private final String group;
    private final KafkaClients kafka;
    private final RetryStrategy defaultRetry;
    private final FeedbackWriter feedback;
    private final Callbacks callbacks;
    private final ListenerMetrics metrics;
    private final DeadLetters deadLetters;
    private final Duration shutdownTimeout;
    private final List<Slot> slots = new ArrayList<>();
    private final ScheduledExecutorService ticker;
    private volatile boolean stopping;

    public ListenerRuntime(Streamback streamback, String group, KafkaClients kafka, List<ListenerDefinition> listeners,
                           RetryStrategy defaultRetry, FeedbackWriter feedback, Callbacks callbacks,
                           ListenerMetrics metrics, DeadLetters deadLetters, Duration shutdownTimeout) {
        this.streamback = streamback;
        this.group = group;
        this.kafka = kafka;
        this.defaultRetry = defaultRetry;
        this.feedback = feedback;
        this.callbacks = callbacks;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.shutdownTimeout = shutdownTimeout;
        for (WorkerPlan plan : plan(group, listeners)) {
            slots.add(new Slot(plan));
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streamback-" + group + "-tick");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Splits the listeners over workers: one pool worker, plus N dedicated ones per listener with concurrency N. */
    private static List<WorkerPlan> plan(String group, List<ListenerDefinition> listeners) {
        Map<String, List<ListenerDefinition>> byTopic = new LinkedHashMap<>();
        for (ListenerDefinition listener : listeners) {
            listener.topics().forEach(topic -> byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(listener));
        }
        List<WorkerPlan> plans = new ArrayList<>();
        Set<String> dedicatedTopics = new LinkedHashSet<>();
        for (ListenerDefinition listener : listeners) {
            for (int i = 1; i <= listener.concurrency(); i++) {
                Set<String> topics = new LinkedHashSet<>(listener.topics());
                String name = (group + "-" + listener.name() + "-" + i).replaceAll("[^A-Za-z0-9._-]", "_");
                plans.add(new WorkerPlan(name, topics, listenersOf(topics, byTopic)));
            }
            if (listener.concurrency() > 0) {
                dedicatedTopics.addAll(listener.topics());
            }
        }
        Set<String> poolTopics = new LinkedHashSet<>(byTopic.keySet());
        poolTopics.removeAll(dedicatedTopics);
        if (!poolTopics.isEmpty()) {
            plans.add(0, new WorkerPlan(group + "-pool", poolTopics, listenersOf(poolTopics, byTopic)));
        }
        return plans;
    }

    private static List<ListenerDefinition> listenersOf(Set<String> topics, Map<String, List<ListenerDefinition>> byTopic) {
        Set<ListenerDefinition> listeners = new LinkedHashSet<>();
        topics.forEach(topic -> listeners.addAll(byTopic.get(topic)));
        return List.copyOf(listeners).stream()
                .map(listener -> listener.withTopics(listener.topics().stream().filter(topics::contains).toList()))
                .toList();
    }

    /** Starts every worker; completes once each has its first partitions. */
    public CompletableFuture<Void> start() {
        List<CompletableFuture<Void>> assignments = new ArrayList<>();
        for (Slot slot : slots) {
            assignments.add(slot.startWorker());
        }
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        return CompletableFuture.allOf(assignments.toArray(CompletableFuture[]::new));
    }

    /** Replaces every worker, one at a time: each flushes, commits and closes, and a fresh one with new listener instances takes over. */
    public void recycle() {
        for (Slot slot : slots) {
            if (stopping) {
                return;
            }
            slot.recycle();
        }
    }

    /** Whether every worker's thread is alive and polling. */
    public boolean healthy() {
        return slots.stream().allMatch(Slot::healthy);
    }

    /** The workers' names, for health reports. */
    public List<String> workerNames() {
        return slots.stream().map(slot -> slot.plan.name()).toList();
    }

    /** Stops every worker (each finishes the record in hand, flushes and commits), waiting up to the shutdown timeout. */
    public void stop() {
        stopping = true;
        ticker.shutdownNow();
        slots.forEach(Slot::requestStop);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        for (Slot slot : slots) {
            slot.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    private void tick() {
        callbacks.tick(streamback);
        for (Slot slot : slots) {
            slot.restartIfDead();
        }
    }

    /** One worker position: the current worker for a plan, restarted or replaced over time. */
    private final class Slot {
        private final WorkerPlan plan;
        private ConsumerWorker worker;
        private Thread thread;
        private int restarts;
        private long nextRestartNanos;
        private volatile boolean crashed;

        Slot(WorkerPlan plan) {
            this.plan = plan;
        }

        synchronized CompletableFuture<Void> startWorker() {
            RecordDispatcher dispatcher = new RecordDispatcher(streamback, plan.listeners(), defaultRetry, feedback,
                    callbacks, metrics, deadLetters);
            worker = new ConsumerWorker(plan.name(), kafka.consumer(plan.name(), group), plan.topics(), dispatcher,
                    callbacks, metrics.registry(), shutdownTimeout);
            ConsumerWorker current = worker;
            crashed = false;
            thread = new Thread(() -> run(current), "streamback-" + plan.name());
            thread.start();
            return current.assigned();
        }

        private void run(ConsumerWorker current) {
            try {
                current.run();
            } catch (RuntimeException | Error e) {
                crashed = true;
                log.error("Worker {} crashed; it will be restarted", current.name(), e);
            }
        }

        synchronized void restartIfDead() {
            if (stopping || thread == null || (thread.isAlive() && !crashed) || System.nanoTime() < nextRestartNanos) {
                return;
            }
            restarts++;
            long backoff = Math.min(MAX_RESTART_BACKOFF.toMillis(), 1000L << Math.min(restarts - 1, 5));
            nextRestartNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
            log.warn("Restarting worker {} (restart {}, next no sooner than {} ms)", plan.name(), restarts, backoff);
            startWorker();
        }

        void recycle() {
            ConsumerWorker old;
            Thread oldThread;
            synchronized (this) {
                old = worker;
                oldThread = thread;
            }
            old.stop();
            joinThread(oldThread, shutdownTimeout);
            synchronized (this) {
                if (!stopping) {
                    restarts = 0;
                    startWorker();
                }
            }
        }

        synchronized boolean healthy() {
            return thread != null && thread.isAlive() && !crashed
                    && System.nanoTime() - worker.lastPollNanos() < LIVENESS_WINDOW.toNanos();
        }

        synchronized void requestStop() {
            if (worker != null) {
                worker.stop();
            }
        }

        void join(Duration timeout) {
            Thread current;
            synchronized (this) {
                current = thread;
            }
            joinThread(current, timeout);
        }

        private void joinThread(Thread target, Duration timeout) {
            if (target == null || target == Thread.currentThread()) {
                return;
            }
            try {
                target.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (target.isAlive()) {
                log.warn("Worker thread {} did not stop within {} s", target.getName(), timeout.toSeconds());
            }
        }
    }
}
