package io.streamback.internal.runtime;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.streamback.internal.metrics.ListenerMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka consumer in the application's group. Its own thread polls, and is the only one that
 * seeks, pauses and commits; a second thread, the handler, runs the listeners on each batch and
 * their {@code flush()}, never both at once. A batch that takes longer than a moment has its
 * partitions paused while the consumer goes on polling, so the worker stays in the group however
 * slow a listener is. Quick batches skip the pause: resuming a paused partition can wait for a
 * fetch already in flight (up to {@code fetch.max.wait.ms}), which would slow every RPC.
 *
 * <p>Commits (at-least-once), per partition:
 * <ul>
 *   <li>a record is committed only after its listeners are done, or failed and it is in the
 *       dead-letter topic;</li>
 *   <li>on a topic with a buffering listener (one that overrides {@code flush()}) only once a flush
 *       after it succeeded. The worker flushes every {@link #FLUSH_INTERVAL} while such records
 *       wait, and before it hands partitions over or stops. A failing flush commits nothing past
 *       the last successful one: the worker seeks back and delivers those records again;</li>
 *   <li>a record whose dead letter could not be sent pauses its partition; the send alone (not the
 *       listeners) is tried again with exponential back-off ({@link #DEAD_LETTER_FIRST_RETRY}
 *       doubling up to {@link #DEAD_LETTER_MAX_RETRY}), never given up, while the other
 *       partitions go on.</li>
 * </ul>
 * Partitions revoked while a batch runs are cancelled: the handler skips their remaining records,
 * the worker waits for the one in hand, and their results are not committed by this worker.
 */
public final class ConsumerWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** How long a batch may run before its partitions are paused, at most. */
    private static final Duration PAUSE_AFTER = Duration.ofSeconds(1);
    /** How long an end marker may wait to share a Redis round trip with the next ones. */
    private static final Duration END_MARKER_DELAY = Duration.ofMillis(20);
    /** How long records of a buffering listener wait, at most, for a flush that lets them be committed. */
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEAD_LETTER_FIRST_RETRY = Duration.ofSeconds(1);
    public static final Duration DEAD_LETTER_MAX_RETRY = Duration.ofSeconds(30);

    /** A record whose listeners failed and whose dead letter is not sent yet: its partition waits paused. */
    private static final class Blocked {
        final ConsumerRecord<String, byte[]> record;
        final String error;
        int failedAttempts = 1;
        long nextAttemptNanos;
        Future<Boolean> sending;

        Blocked(ConsumerRecord<String, byte[]> record, String error, long nextAttemptNanos) {
            this.record = record;
            this.error = error;
            this.nextAttemptNanos = nextAttemptNanos;
        }
    }

    /**
     * What a task on the handler thread got through, per partition: the next offset to commit,
     * the first offset handled (where to go back to if a flush fails), the offset to seek to for
     * records not handled, a record waiting for its dead letter; and the topics whose flush failed
     * (null when the task did not flush).
     */
    private record TaskResult(Map<TopicPartition, Long> handled, Map<TopicPartition, Long> firstHandled,
                              Map<TopicPartition, Long> unhandled, Map<TopicPartition, Blocked> blocked,
                              Set<String> flushFailedTopics) {
        static TaskResult flushOnly(Set<String> flushFailedTopics) {
            return new TaskResult(Map.of(), Map.of(), Map.of(), Map.of(), flushFailedTopics);
        }
    }

    /** A task on the handler thread, with the cancel token the polling thread sets on revocation. */
    private static final class Task {
        final Set<TopicPartition> cancelled = ConcurrentHashMap.newKeySet();
        /** Next offset handled so far per partition, published record by record. */
        final Map<TopicPartition, Long> handledSoFar = new ConcurrentHashMap<>();
        /** The partition of the record in the handler's hands; guarded by this. */
        TopicPartition inHand;
        Future<TaskResult> future;
    }

    private final String name;
    private final Supplier<? extends Consumer<String, byte[]>> consumerFactory;
    private final Set<String> topics;
    private final RecordDispatcher dispatcher;
    private final Callbacks callbacks;
    private final ListenerMetrics metrics;
    private final Duration shutdownTimeout;
    private final Duration pauseAfter;
    private final Duration flushInterval;
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private final ExecutorService handlerThread;
    private final ExecutorService deadLetterThread;

    // Polling thread only.
    /** Next offset per owned partition that may be committed. */
    private final Map<TopicPartition, Long> committable = new HashMap<>();
    /** What was last sent for commit, per partition. */
    private final Map<TopicPartition, Long> sent = new HashMap<>();
    private boolean commitInFlight;
    /** Next offset per partition handled by a buffering listener, committable once flushed. */
    private final Map<TopicPartition, Long> unflushed = new HashMap<>();
    /** First offset per partition handled since the last successful flush. */
    private final Map<TopicPartition, Long> unflushedFrom = new HashMap<>();
    private long unflushedSinceNanos;
    private final Map<TopicPartition, Blocked> blocked = new HashMap<>();
    private Task inFlight;

    private volatile boolean stopping;
    private volatile boolean pollingBesideTask;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile Consumer<String, byte[]> consumer;

    /**
     * @param consumerFactory makes the Kafka consumer, on the worker's thread, when it runs
     * @param flushInterval   how long records of buffering listeners may wait for a flush
     */
    public ConsumerWorker(String name, Supplier<? extends Consumer<String, byte[]>> consumerFactory, Set<String> topics,
                          RecordDispatcher dispatcher, Callbacks callbacks, ListenerMetrics metrics,
                          Duration shutdownTimeout, Duration maxPollInterval, Duration flushInterval) {
        this.name = name;
        this.consumerFactory = consumerFactory;
        this.topics = Set.copyOf(topics);
        this.dispatcher = dispatcher;
        this.callbacks = callbacks;
        this.metrics = metrics;
        this.shutdownTimeout = shutdownTimeout;
        this.pauseAfter = Duration.ofMillis(Math.min(PAUSE_AFTER.toMillis(), maxPollInterval.toMillis() / 3));
        this.flushInterval = flushInterval;
        this.handlerThread = Executors.newSingleThreadExecutor(daemon("streamback-" + name + "-handler"));
        this.deadLetterThread = Executors.newSingleThreadExecutor(daemon("streamback-" + name + "-dead-letters"));
    }

    private static ThreadFactory daemon(String threadName) {
        return runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        };
    }

    public String name() {
        return name;
    }

    public Set<String> topics() {
        return topics;
    }

    /** Completes once the group has given this worker its first partitions. */
    public CompletableFuture<Void> assigned() {
        return assigned;
    }

    /** Nanotime of the last return from poll: the worker is alive while this keeps moving. */
    public long lastPollNanos() {
        return lastPollNanos;
    }

    /** Asks the worker to stop after the record in hand; {@link #run()} then flushes, commits and returns. */
    public void stop() {
        stopping = true;
        wakeUp();
    }

    @Override
    public void run() {
        try (Consumer<String, byte[]> kafka = consumerFactory.get();
             KafkaClientMetrics kafkaMetrics = new KafkaClientMetrics(kafka)) {
            consumer = kafka;
            kafkaMetrics.bindTo(metrics.registry());
            callbacks.workerStarted(name);
            subscribe(kafka);
            while (!stopping) {
                pollOnce(kafka);
            }
            finish(kafka);
            log.info("Worker {} stopped", name);
        } finally {
            handlerThread.shutdown();
            deadLetterThread.shutdown();
            assigned.completeExceptionally(new IllegalStateException("worker " + name + " stopped before it got partitions"));
        }
    }

    void subscribe(Consumer<String, byte[]> kafka) {
        consumer = kafka;
        kafka.subscribe(topics, new OnRebalance(kafka));
        log.info("Worker {} listening on {}", name, topics);
    }

    /** One turn of the polling thread: apply what the handler finished, retry dead letters, flush, commit, poll. */
    void pollOnce(Consumer<String, byte[]> kafka) {
        completeTaskIfDone(kafka);
        retryDeadLetters(kafka);
        if (inFlight == null && flushDue()) {
            start(kafka, new Task(), () -> TaskResult.flushOnly(dispatcher.flushAll()));
        }
        commitAsync(kafka);
        ConsumerRecords<String, byte[]> records = poll(kafka);
        completeTaskIfDone(kafka);
        // poll ran the callback of the commit in flight: commit the last batch before starting the next
        commitAsync(kafka);
        if (records.isEmpty()) {
            return;
        }
        if (inFlight != null || stopping) {
            // A task runs (only after a rebalance can records come meanwhile), or we stop: give them back for later.
            for (TopicPartition partition : records.partitions()) {
                kafka.seek(partition, records.records(partition).get(0).offset());
            }
            if (!stopping) {
                kafka.pause(records.partitions());
            }
            return;
        }
        boolean flush = flushDue();
        Task batch = new Task();
        start(kafka, batch, () -> handle(batch, records, flush));
    }

    private ConsumerRecords<String, byte[]> poll(Consumer<String, byte[]> kafka) {
        try {
            return kafka.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            // the handler finished a task while partitions were paused, or stop() was called
            return ConsumerRecords.empty();
        } finally {
            lastPollNanos = System.nanoTime();
        }
    }

    /** Runs {@code work} on the handler thread; if it takes more than a moment, pauses the partitions and goes back to polling. */
    private void start(Consumer<String, byte[]> kafka, Task task, Callable<TaskResult> work) {
        inFlight = task;
        task.future = handlerThread.submit(() -> {
            try {
                return work.call();
            } finally {
                if (pollingBesideTask) {
                    wakeUp();
                }
            }
        });
        try {
            task.future.get(pauseAfter.toMillis(), TimeUnit.MILLISECONDS);
            completeTaskIfDone(kafka);
        } catch (TimeoutException e) {
            kafka.pause(kafka.assignment());
            pollingBesideTask = true;
        } catch (ExecutionException e) {
            completeTaskIfDone(kafka);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kafka.pause(kafka.assignment());
            pollingBesideTask = true;
        }
    }

    /** Runs on the handler thread. */
    private TaskResult handle(Task task, ConsumerRecords<String, byte[]> records, boolean flush) {
        Map<TopicPartition, Long> handled = new HashMap<>();
        Map<TopicPartition, Long> firstHandled = new HashMap<>();
        Map<TopicPartition, Long> unhandled = new HashMap<>();
        Map<TopicPartition, Blocked> waiting = new HashMap<>();
        Set<TopicPartition> skipped = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (skipped.contains(partition)) {
                continue;
            }
            synchronized (task) {
                if (stopping || task.cancelled.contains(partition)) {
                    skipped.add(partition);
                    unhandled.put(partition, record.offset());
                    continue;
                }
                task.inHand = partition;
            }
            RecordDispatcher.Dispatched dispatched = null;
            try {
                dispatched = dispatcher.dispatch(record);
            } finally {
                synchronized (task) {
                    if (dispatched != null && dispatched.outcome() == RecordDispatcher.Outcome.DONE) {
                        task.handledSoFar.put(partition, record.offset() + 1);
                    }
                    task.inHand = null;
                    task.notifyAll();
                }
            }
            switch (dispatched.outcome()) {
                case DONE -> {
                    handled.put(partition, record.offset() + 1);
                    firstHandled.putIfAbsent(partition, record.offset());
                }
                case INTERRUPTED -> {
                    skipped.add(partition);
                    unhandled.put(partition, record.offset());
                }
                case DEAD_LETTER_FAILED -> {
                    // Its listeners ran: go on after it once its dead letter is kept, without running them again.
                    skipped.add(partition);
                    firstHandled.putIfAbsent(partition, record.offset());
                    unhandled.put(partition, record.offset() + 1);
                    waiting.put(partition, new Blocked(record, dispatched.error(),
                            System.nanoTime() + DEAD_LETTER_FIRST_RETRY.toNanos()));
                }
            }
            if (dispatcher.endMarkersWaited(END_MARKER_DELAY)) {
                dispatcher.pushEndMarkers();
            }
        }
        dispatcher.pushEndMarkers();
        Set<String> flushFailed = flush && !stopping ? dispatcher.flushAll() : null;
        return new TaskResult(handled, firstHandled, unhandled, waiting, flushFailed);
    }

    private void completeTaskIfDone(Consumer<String, byte[]> kafka) {
        if (inFlight != null && inFlight.future.isDone()) {
            completeTask(kafka, Duration.ZERO);
        }
    }

    /** Waits up to {@code timeout} for the task in flight and applies its result; false if it did not finish. */
    private boolean completeTask(Consumer<String, byte[]> kafka, Duration timeout) {
        Task task = inFlight;
        TaskResult result;
        try {
            result = task.future.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            // Listener failures never get here (they fail their record): this is a bug, and the worker is restarted.
            inFlight = null;
            throw new IllegalStateException("Worker " + name + ": handling a batch failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        inFlight = null;
        pollingBesideTask = false;
        apply(kafka, task, result);
        resumeAll(kafka);
        return true;
    }

    private void apply(Consumer<String, byte[]> kafka, Task task, TaskResult result) {
        Set<TopicPartition> assignment = kafka.assignment();
        result.handled().forEach((partition, next) -> {
            if (assignment.contains(partition) && !task.cancelled.contains(partition)) {
                recordHandled(partition, result.firstHandled().get(partition), next);
            }
        });
        result.blocked().forEach((partition, waiting) -> {
            if (assignment.contains(partition) && !task.cancelled.contains(partition)) {
                if (dispatcher.buffers(partition.topic())) {
                    markUnflushedFrom(partition, waiting.record.offset());
                }
                blocked.put(partition, waiting);
                kafka.pause(List.of(partition));
                metrics.deadLetterFailed(partition.topic());
                log.warn("Worker {}: partition {} paused: record {} failed and could not be dead-lettered;"
                        + " next attempt in {} ms", name, partition, waiting.record.offset(),
                        DEAD_LETTER_FIRST_RETRY.toMillis());
            }
        });
        result.unhandled().forEach((partition, offset) -> {
            if (assignment.contains(partition) && !task.cancelled.contains(partition)) {
                kafka.seek(partition, offset);
            }
        });
        if (result.flushFailedTopics() != null) {
            applyFlush(kafka, result.flushFailedTopics());
        }
    }

    private void recordHandled(TopicPartition partition, Long first, long next) {
        if (dispatcher.buffers(partition.topic())) {
            markUnflushedFrom(partition, first == null ? next - 1 : first);
            unflushed.put(partition, next);
        } else {
            committable.put(partition, next);
        }
    }

    private void markUnflushedFrom(TopicPartition partition, long offset) {
        if (unflushedFrom.isEmpty()) {
            unflushedSinceNanos = System.nanoTime();
        }
        unflushedFrom.putIfAbsent(partition, offset);
    }

    /** A flush ran: what it covered becomes committable, except on topics whose flush failed, which go back. */
    private void applyFlush(Consumer<String, byte[]> kafka, Set<String> failedTopics) {
        Set<TopicPartition> assignment = kafka.assignment();
        for (TopicPartition partition : Set.copyOf(unflushedFrom.keySet())) {
            if (failedTopics.contains(partition.topic())) {
                long from = unflushedFrom.remove(partition);
                unflushed.remove(partition);
                blocked.remove(partition);
                if (assignment.contains(partition)) {
                    kafka.seek(partition, from);
                    log.warn("Worker {}: flush failed; {} goes back to offset {}, the last flushed one", name, partition, from);
                }
            } else {
                Long next = unflushed.remove(partition);
                if (next != null) {
                    committable.put(partition, next);
                }
                if (!blocked.containsKey(partition)) {
                    unflushedFrom.remove(partition);
                } else {
                    // the blocked record is flushed now; what follows it starts after it
                    unflushedFrom.put(partition, blocked.get(partition).record.offset() + 1);
                }
            }
        }
        if (!unflushedFrom.isEmpty()) {
            unflushedSinceNanos = System.nanoTime();
        }
    }

    private boolean flushDue() {
        return !unflushed.isEmpty() && System.nanoTime() - unflushedSinceNanos >= flushInterval.toNanos();
    }

    /** Starts the dead-letter sends that are due, and takes in those that finished. Never blocks. */
    private void retryDeadLetters(Consumer<String, byte[]> kafka) {
        if (blocked.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, Blocked> entry : List.copyOf(blocked.entrySet())) {
            TopicPartition partition = entry.getKey();
            Blocked waiting = entry.getValue();
            if (waiting.sending != null && waiting.sending.isDone()) {
                if (sent(waiting.sending)) {
                    blocked.remove(partition);
                    recordHandled(partition, waiting.record.offset(), waiting.record.offset() + 1);
                    if (inFlight == null) {
                        kafka.resume(List.of(partition));
                    }
                    log.info("Worker {}: record {}-{}@{} is in the dead-letter topic now; partition resumed",
                            name, partition.topic(), partition.partition(), waiting.record.offset());
                    continue;
                }
                waiting.sending = null;
                waiting.failedAttempts++;
                metrics.deadLetterFailed(partition.topic());
                Duration backoff = deadLetterBackoff(waiting.failedAttempts);
                waiting.nextAttemptNanos = now + backoff.toNanos();
                log.warn("Worker {}: partition {} stays paused: record {} could not be dead-lettered ({} attempts);"
                        + " next attempt in {} ms", name, partition, waiting.record.offset(), waiting.failedAttempts,
                        backoff.toMillis());
            }
            if (waiting.sending == null && now - waiting.nextAttemptNanos >= 0) {
                waiting.sending = deadLetterThread.submit(() -> dispatcher.retryDeadLetter(waiting.record, waiting.error));
            }
        }
    }

    /** The wait after the {@code failedAttempts}-th failed send: 1 s, 2 s, 4 s, ... up to 30 s. */
    static Duration deadLetterBackoff(int failedAttempts) {
        long millis = DEAD_LETTER_FIRST_RETRY.toMillis() << Math.min(failedAttempts - 1, 20);
        return Duration.ofMillis(Math.min(millis, DEAD_LETTER_MAX_RETRY.toMillis()));
    }

    private static boolean sent(Future<Boolean> sending) {
        try {
            return sending.get();
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void resumeAll(Consumer<String, byte[]> kafka) {
        Set<TopicPartition> toResume = new HashSet<>(kafka.paused());
        toResume.retainAll(kafka.assignment());
        toResume.removeAll(blocked.keySet());
        kafka.resume(toResume);
    }

    /**
     * Commits what is new, with at most one asynchronous commit in flight: the group coordinator
     * answers commits one at a time, so one per batch (one per RPC under light load) piled up
     * thousands, and the final synchronous commit then waited behind all of them, past its timeout.
     */
    private void commitAsync(Consumer<String, byte[]> kafka) {
        if (committable.isEmpty() || commitInFlight) {
            return;
        }
        Map<TopicPartition, Long> news = new HashMap<>();
        committable.forEach((partition, next) -> {
            if (!next.equals(sent.get(partition))) {
                news.put(partition, next);
            }
        });
        if (news.isEmpty()) {
            return;
        }
        sent.putAll(news);
        commitInFlight = true;
        kafka.commitAsync(offsets(news), (committed, error) -> {
            // Kafka calls this on the polling thread, inside poll or a commit.
            commitInFlight = false;
            if (error instanceof RebalanceInProgressException) {
                // Expected while the group rebalances (cooperatively, the worker keeps consuming meanwhile).
                news.forEach(sent::remove);
                log.debug("Worker {}: offset commit refused during a rebalance; the next commit covers it", name);
            } else if (error != null) {
                news.forEach(sent::remove);
                log.warn("Worker {}: offset commit failed; the next commit covers it: {}", name, error.toString());
            }
        });
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        return offsets;
    }

    /** After the loop: finish the task in hand, flush, and commit what may be. */
    void finish(Consumer<String, byte[]> kafka) {
        boolean handlerFree = inFlight == null || completeTask(kafka, shutdownTimeout);
        if (!handlerFree) {
            log.warn("Worker {}: the listeners did not finish their record within {} s; it will be delivered again",
                    name, shutdownTimeout.toSeconds());
            inFlight.cancelled.addAll(kafka.assignment());
            inFlight = null;
        }
        if (handlerFree) {
            flushNow(kafka);
        }
        // Every committable offset, in case an asynchronous commit failed; close() then revokes with nothing left to do.
        commitSync(kafka, committable);
        committable.clear();
        sent.clear();
        commitInFlight = false;
        unflushed.clear();
        unflushedFrom.clear();
        blocked.clear();
    }

    /** Flushes on the handler thread, which must be free, and waits for it. */
    private void flushNow(Consumer<String, byte[]> kafka) {
        Future<Set<String>> flush = handlerThread.submit(dispatcher::flushAll);
        try {
            applyFlush(kafka, flush.get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            log.warn("Worker {}: flushing did not finish within {} s; unflushed records will be delivered again",
                    name, shutdownTimeout.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commitSync(Consumer<String, byte[]> kafka, Map<TopicPartition, Long> next) {
        if (next.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = offsets(next);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                kafka.commitSync(offsets);
                return;
            } catch (WakeupException e) {
                // a wakeup raced this call and is spent now; try once more
            } catch (KafkaException e) {
                log.warn("Worker {}: offset commit failed; records after the last commit will be delivered again: {}",
                        name, e.toString());
                return;
            }
        }
    }

    private void wakeUp() {
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Runs inside poll, on the consumer thread. */
    private final class OnRebalance implements ConsumerRebalanceListener {
        private final Consumer<String, byte[]> kafka;

        OnRebalance(Consumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            metrics.partitionsRevoked(name, partitions.size());
            log.info("Worker {} hands over {}", name, partitions);
            Task task = inFlight;
            if (task != null) {
                cancel(task, partitions);
                // What the handler finished on them before the cancel, where no flush is needed.
                for (TopicPartition partition : partitions) {
                    Long next = task.handledSoFar.get(partition);
                    if (next != null && !dispatcher.buffers(partition.topic())) {
                        committable.put(partition, next);
                    }
                }
            } else if (partitions.stream().anyMatch(unflushed::containsKey)) {
                flushNow(kafka);
            }
            Map<TopicPartition, Long> revoked = new HashMap<>();
            for (TopicPartition partition : partitions) {
                Long next = committable.get(partition);
                if (next != null) {
                    revoked.put(partition, next);
                }
            }
            commitSync(kafka, revoked);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            Task task = inFlight;
            if (task != null) {
                cancel(task, partitions);
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.info("Worker {} assigned {}", name, partitions);
            }
            if (inFlight != null) {
                kafka.pause(partitions);
            }
            assigned.complete(null);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                committable.remove(partition);
                sent.remove(partition);
                unflushed.remove(partition);
                unflushedFrom.remove(partition);
                blocked.remove(partition);
            }
        }

        /**
         * Another worker may own these partitions next: the handler skips their remaining records,
         * and we wait for the one in hand so that no record is handled by two workers at once.
         */
        private void cancel(Task task, Collection<TopicPartition> partitions) {
            long deadline = System.nanoTime() + shutdownTimeout.toNanos();
            synchronized (task) {
                task.cancelled.addAll(partitions);
                while (task.inHand != null && partitions.contains(task.inHand)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        log.warn("Worker {}: a listener still handles a record of revoked partition {} after {} s;"
                                + " its new owner may handle it too", name, task.inHand, shutdownTimeout.toSeconds());
                        return;
                    }
                    try {
                        task.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ConsumerWorker[" + name + " on " + List.copyOf(topics) + "]";
    }
}
