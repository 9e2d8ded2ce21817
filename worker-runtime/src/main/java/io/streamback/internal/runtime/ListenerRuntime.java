package io.streamback.internal.runtime;

import io.streamback.callback.RunningStreamback;
import io.streamback.internal.feedback.FeedbackWriter;
import io.streamback.internal.kafka.KafkaClients;
import io.streamback.internal.metrics.ListenerMetrics;
import io.streamback.internal.tracing.ListenerTracing;
import io.streamback.listener.Concurrency;
import io.streamback.listener.ListenerDefinition;
import io.streamback.listener.RetryStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an application's listeners as consumer workers and keeps them running.
 *
 * <p>Listeners without a concurrency share one pool worker; a listener with concurrency N gets N
 * dedicated workers, and one with tiers as many as its lag asks for ({@link LagScaler}). Every
 * worker calls all the listeners of a record's topic, each with the worker's own listener
 * instances. A worker that dies is restarted with backoff; {@link #recycle()} replaces every
 * worker gracefully, one at a time.
 */
public final class ListenerRuntime {
    private static final Logger log = LoggerFactory.getLogger(ListenerRuntime.class);
    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);
    private static final Duration LIVENESS_WINDOW = Duration.ofMinutes(2);
    /** A worker that ran this long since its last restart starts its restart back-off from 1 s again. */
    private static final Duration HEALTHY_RESET = Duration.ofMinutes(1);

    /** The topics one worker subscribes to, and the listeners it calls; index: its number among its listener's workers (0: pool). */
    private record WorkerPlan(String name, int index, Set<String> topics, List<ListenerDefinition> listeners) {
    }

    private final RunningStreamback streamback;
    private final ListenerTracing tracing;
    private final String group;
    private final KafkaClients kafka;
    private final RetryStrategy defaultRetry;
    private final FeedbackWriter feedback;
    private final Callbacks callbacks;
    private final ListenerMetrics metrics;
    private final DeadLetters deadLetters;
    private final Duration shutdownTimeout;
    /** The pool worker and the workers of listeners with a fixed concurrency. */
    private final List<Slot> slots = new ArrayList<>();
    private final List<ScaledWorkers> scaled = new ArrayList<>();
    private final LagScaler scaler;
    private final ScheduledExecutorService ticker;
    private volatile boolean stopping;

    /**
     * @param admin        the application's admin client, for reading lags (asked for only with tiers)
     * @param adminTimeout how long a lag reading may take
     */
    public ListenerRuntime(RunningStreamback streamback, String group, KafkaClients kafka, List<ListenerDefinition> listeners,
                           RetryStrategy defaultRetry, FeedbackWriter feedback, Callbacks callbacks,
                           ListenerMetrics metrics, DeadLetters deadLetters, Duration shutdownTimeout,
                           Supplier<Admin> admin, Duration adminTimeout, ListenerTracing tracing) {
        this.streamback = streamback;
        this.tracing = tracing;
        this.group = group;
        this.kafka = kafka;
        this.defaultRetry = defaultRetry;
        this.feedback = feedback;
        this.callbacks = callbacks;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.shutdownTimeout = shutdownTimeout;
        plan(listeners);
        this.scaler = new LagScaler(group, admin, adminTimeout, metrics);
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streamback-" + group + "-tick");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Splits the listeners over workers: one pool worker, plus dedicated ones for each listener with
     * a concurrency (N fixed ones, or a {@link ScaledWorkers} group for tiers).
     */
    private void plan(List<ListenerDefinition> listeners) {
        Map<String, List<ListenerDefinition>> byTopic = new LinkedHashMap<>();
        for (ListenerDefinition listener : listeners) {
            listener.topics().forEach(topic -> byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(listener));
        }
        Set<String> dedicatedTopics = new LinkedHashSet<>();
        for (ListenerDefinition listener : listeners) {
            Concurrency concurrency = listener.concurrency();
            if (concurrency.initialWorkers() == 0) {
                continue;
            }
            Set<String> topics = new LinkedHashSet<>(listener.topics());
            dedicatedTopics.addAll(topics);
            String baseName = group + "-" + listener.name();
            List<ListenerDefinition> called = listenersOf(topics, byTopic);
            if (concurrency.scalesByLag()) {
                scaled.add(new ScaledWorkers(listener.name(), baseName, topics, called, concurrency));
            } else {
                for (int i = 1; i <= concurrency.initialWorkers(); i++) {
                    slots.add(new Slot(workerPlan(baseName, i, topics, called)));
                }
            }
        }
        Set<String> poolTopics = new LinkedHashSet<>(byTopic.keySet());
        poolTopics.removeAll(dedicatedTopics);
        if (!poolTopics.isEmpty()) {
            slots.add(0, new Slot(new WorkerPlan(group + "-pool", 0, poolTopics, listenersOf(poolTopics, byTopic))));
        }
    }

    private static WorkerPlan workerPlan(String baseName, int index, Set<String> topics, List<ListenerDefinition> listeners) {
        return new WorkerPlan((baseName + "-" + index).replaceAll("[^A-Za-z0-9._-]", "_"), index, topics, listeners);
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
        allSlots().forEach(slot -> assignments.add(slot.startWorker()));
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        scaled.forEach(scaler::watch);
        return CompletableFuture.allOf(assignments.toArray(CompletableFuture[]::new));
    }

    /** Replaces every worker, one at a time: each flushes, commits and closes, and a fresh one with new listener instances takes over. */
    public void recycle() {
        for (Slot slot : allSlots().toList()) {
            if (stopping) {
                return;
            }
            slot.recycle();
        }
    }

    /** Whether every worker's thread is alive and polling. */
    public boolean healthy() {
        return allSlots().allMatch(Slot::healthy);
    }

    /** The workers' names, for health reports. */
    public List<String> workerNames() {
        return allSlots().map(slot -> slot.plan.name()).toList();
    }

    /** Stops every worker (each finishes the record in hand, flushes and commits), waiting up to the shutdown timeout. */
    public void stop() {
        synchronized (this) {
            stopping = true;
        }
        scaler.close();
        ticker.shutdownNow();
        List<Slot> all = Stream.concat(allSlots(), scaled.stream().flatMap(group -> group.leaving.stream())).toList();
        all.forEach(Slot::requestStop);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        for (Slot slot : all) {
            slot.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /** Runs every second; it must never throw, or the executor would cancel it for good. */
    private void tick() {
        supervise("the onTick callbacks", () -> callbacks.tick(streamback));
        allSlots().forEach(slot -> supervise("restarting worker " + slot.plan.name(), slot::restartIfDead));
    }

    private void supervise(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            metrics.supervisionFailed();
            log.error("Supervision: {} failed; supervision goes on", what, e);
        }
    }

    /**
     * The consumer settings of one worker. Cooperative (incremental) rebalancing unless the
     * application chose an assignor: adding or removing a worker moves only the partitions that
     * change owner, and the app's other workers keep theirs.
     */
    private Properties consumerProperties(String clientId) {
        Properties properties = kafka.consumer(clientId, group);
        properties.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return properties;
    }

    private static Duration maxPollInterval(Properties properties) {
        return Duration.ofMillis(Long.parseLong(String.valueOf(properties.getOrDefault(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "300000"))));
    }

    /** Every current worker position: fixed ones, then each scaled listener's. */
    private Stream<Slot> allSlots() {
        return Stream.concat(slots.stream(), scaled.stream().flatMap(group -> group.members.stream()));
    }

    /** The dedicated workers of a listener with concurrency tiers, numbered from 1, resized by the {@link LagScaler}. */
    private final class ScaledWorkers implements LagScaler.Workers {
        private final String listener;
        private final String baseName;
        private final Set<String> topics;
        private final List<ListenerDefinition> listeners;
        private final Concurrency concurrency;
        /** In index order; the scaler removes from the end. */
        private final List<Slot> members = new CopyOnWriteArrayList<>();
        /** Removed, still finishing their record and committing: their names stay taken until they are done. */
        private final List<Slot> leaving = new CopyOnWriteArrayList<>();

        ScaledWorkers(String listener, String baseName, Set<String> topics, List<ListenerDefinition> listeners,
                      Concurrency concurrency) {
            this.listener = listener;
            this.baseName = baseName;
            this.topics = topics;
            this.listeners = listeners;
            this.concurrency = concurrency;
            for (int i = 1; i <= concurrency.initialWorkers(); i++) {
                members.add(new Slot(workerPlan(baseName, i, topics, listeners)));
            }
        }

        @Override
        public String listener() {
            return listener;
        }

        @Override
        public Set<String> topics() {
            return topics;
        }

        @Override
        public Concurrency concurrency() {
            return concurrency;
        }

        @Override
        public int size() {
            return members.size();
        }

        @Override
        public void add(int count) {
            synchronized (ListenerRuntime.this) {
                if (stopping) {
                    return;
                }
                leaving.removeIf(Slot::finished);
                for (int added = 0; added < count; added++) {
                    int index = 1;
                    while (taken(index)) {
                        index++;
                    }
                    int position = 0;
                    while (position < members.size() && members.get(position).plan.index() < index) {
                        position++;
                    }
                    Slot slot = new Slot(workerPlan(baseName, index, topics, listeners));
                    members.add(position, slot);
                    slot.startWorker();
                }
            }
        }

        /** Whether a worker numbered {@code index} runs, or still finishes: its client id would clash. */
        private boolean taken(int index) {
            return Stream.concat(members.stream(), leaving.stream()).anyMatch(slot -> slot.plan.index() == index);
        }

        @Override
        public int remove(int count, Duration minLifetime) {
            synchronized (ListenerRuntime.this) {
                if (stopping) {
                    return 0;
                }
                leaving.removeIf(Slot::finished);
                int removed = 0;
                for (int i = members.size() - 1; i >= 0 && removed < count; i--) {
                    Slot slot = members.get(i);
                    if (slot.age().compareTo(minLifetime) >= 0) {
                        members.remove(i);
                        leaving.add(slot);
                        slot.retire();
                        removed++;
                    }
                }
                return removed;
            }
        }
    }

    /** One worker position: the current worker for a plan, restarted or replaced over time. */
    private final class Slot {
        private final WorkerPlan plan;
        private final long createdNanos = System.nanoTime();
        private ConsumerWorker worker;
        private Thread thread;
        private int restarts;
        private long nextRestartNanos;
        private long startedNanos;
        private volatile boolean crashed;
        /** Removed by the scaler: stopping for good, never restarted. */
        private boolean retired;

        Slot(WorkerPlan plan) {
            this.plan = plan;
        }

        synchronized CompletableFuture<Void> startWorker() {
            RecordDispatcher dispatcher = new RecordDispatcher(streamback, plan.listeners(), defaultRetry, feedback,
                    callbacks, metrics, deadLetters, tracing);
            Properties properties = consumerProperties(plan.name());
            worker = new ConsumerWorker(plan.name(), () -> new KafkaConsumer<>(properties), plan.topics(), dispatcher,
                    callbacks, metrics, shutdownTimeout, maxPollInterval(properties), ConsumerWorker.FLUSH_INTERVAL);
            ConsumerWorker current = worker;
            crashed = false;
            startedNanos = System.nanoTime();
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
            if (restarts > 0 && !crashed && thread != null && thread.isAlive()
                    && System.nanoTime() - startedNanos >= HEALTHY_RESET.toNanos()) {
                restarts = 0;
            }
            if (stopping || retired || thread == null || (thread.isAlive() && !crashed) || System.nanoTime() < nextRestartNanos) {
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
                if (!stopping && !retired) {
                    restarts = 0;
                    startWorker();
                }
            }
        }

        synchronized boolean healthy() {
            return thread != null && thread.isAlive() && !crashed
                    && System.nanoTime() - worker.lastPollNanos() < LIVENESS_WINDOW.toNanos();
        }

        /** How long this position has had a worker (restarts and recycling keep it). */
        Duration age() {
            return Duration.ofNanos(System.nanoTime() - createdNanos);
        }

        /** Stops the worker for good: it finishes its record, flushes and commits, and is not restarted. */
        synchronized void retire() {
            retired = true;
            requestStop();
        }

        synchronized boolean finished() {
            return thread == null || !thread.isAlive();
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
