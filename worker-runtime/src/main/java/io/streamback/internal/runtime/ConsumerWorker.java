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
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
 * One Kafka consumer in the application's group. Its thread polls and runs the listeners on each
 * batch (and their {@code flush()}) itself: handing every batch to another thread and back cost
 * two thread wake-ups per RPC. A batch that takes longer than a moment is watched by a second
 * thread, the keeper, which takes the consumer over meanwhile: it pauses the partitions and goes
 * on polling, so the worker stays in the group however slow a listener is, and hands the consumer
 * back when the batch is done. One thread at a time uses the consumer; whichever holds it seeks,
 * pauses and commits. Quick batches skip the pause: resuming a paused partition can wait for a
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
 * Partitions revoked while a batch runs are cancelled: the batch skips their remaining records,
 * the keeper waits for the one in hand, and their results are not committed by this worker. A
 * batch still running {@code shutdownTimeout} after {@link #stop()} is abandoned by the keeper,
 * which commits what was done and closes the consumer.
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
     * What a task got through, per partition: the next offset to commit,
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

    /** A batch or a flush, with the cancel token a rebalance sets on the partitions it revokes. */
    private static final class Task {
        final Set<TopicPartition> cancelled = ConcurrentHashMap.newKeySet();
        /** Next offset handled so far per partition, published record by record. */
        final Map<TopicPartition, Long> handledSoFar = new ConcurrentHashMap<>();
        /** The partition of the record in the listeners' hands; guarded by this. */
        TopicPartition inHand;
        long startedNanos;
    }

    /** Marks a task the keeper has taken the consumer over for, in {@link #unattended}. */
    private static final Task KEPT = new Task();

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
    private final ExecutorService deadLetterThread;
    private final Thread keeper;
    /** The task running without anyone polling, {@link #KEPT} while the keeper polls beside it, or null. */
    private final AtomicReference<Task> unattended = new AtomicReference<>();
    /** Set by the task's thread when it is done while the keeper holds the consumer. */
    private volatile boolean taskFinished;
    /** The keeper gave up on a task at shutdown and closed the consumer. */
    private volatile boolean abandoned;
    /** The thread of the task in hand, which the keeper wakes when it hands the consumer back. */
    private volatile Thread pollingThread;

    // Only the thread holding the consumer: the polling thread, or the keeper while it polls beside a task.
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
    private volatile boolean closed;
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
        this.deadLetterThread = Executors.newSingleThreadExecutor(daemon("streamback-" + name + "-dead-letters"));
        this.keeper = daemon("streamback-" + name + "-keeper").newThread(this::keep);
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
            closed = true;
            LockSupport.unpark(keeper);
            deadLetterThread.shutdown();
            assigned.completeExceptionally(new IllegalStateException("worker " + name + " stopped before it got partitions"));
        }
    }

    void subscribe(Consumer<String, byte[]> kafka) {
        consumer = kafka;
        keeper.start();
        kafka.subscribe(topics, new OnRebalance(kafka));
        log.info("Worker {} listening on {}", name, topics);
    }

    /** One turn of the polling thread: retry dead letters, flush, commit, poll, and handle what came. */
    void pollOnce(Consumer<String, byte[]> kafka) {
        retryDeadLetters(kafka);
        if (flushDue()) {
            runTask(kafka, new Task(), () -> TaskResult.flushOnly(dispatcher.flushAll()));
        }
        if (abandoned) {
            return;
        }
        commitAsync(kafka);
        ConsumerRecords<String, byte[]> records = poll(kafka);
        // poll ran the callback of the commit in flight: commit the last batch before starting the next
        commitAsync(kafka);
        if (records.isEmpty()) {
            return;
        }
        if (stopping) {
            giveBack(kafka, records);
            return;
        }
        boolean flush = flushDue();
        Task batch = new Task();
        runTask(kafka, batch, () -> handle(batch, records, flush));
    }

    /** Records that are not to be handled now: the next poll of their partitions delivers them again. */
    private void giveBack(Consumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            kafka.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private ConsumerRecords<String, byte[]> poll(Consumer<String, byte[]> kafka) {
        try {
            return kafka.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            // a task finished while the keeper polled, or stop() was called
            return ConsumerRecords.empty();
        } finally {
            lastPollNanos = System.nanoTime();
        }
    }

    /**
     * Runs {@code work} on this thread and applies its result. Should it take longer than a moment,
     * the keeper polls meanwhile and hands the consumer back when it is done.
     */
    private void runTask(Consumer<String, byte[]> kafka, Task task, Callable<TaskResult> work) {
        inFlight = task;
        pollingThread = Thread.currentThread();
        task.startedNanos = System.nanoTime();
        unattended.set(task);
        TaskResult result = null;
        Throwable failure = null;
        try {
            result = work.call();
        } catch (Exception | Error e) {
            failure = e;
        }
        if (!unattended.compareAndSet(task, null)) {
            reclaimConsumer();
        }
        if (abandoned) {
            return;
        }
        inFlight = null;
        if (failure != null) {
            // Listener failures never get here (they fail their record): this is a bug, and the worker is restarted.
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Worker " + name + ": handling a batch failed", failure);
        }
        apply(kafka, task, result);
        resumeAll(kafka);
    }

    /** The keeper holds the consumer: tells it the task is done and waits until it hands the consumer back. */
    private void reclaimConsumer() {
        taskFinished = true;
        wakeUp();
        while (unattended.get() != null) {
            LockSupport.park(this);
        }
        taskFinished = false;
    }

    /**
     * The keeper's loop: sleeps until the task in hand, if any, has run {@code pauseAfter}, then takes
     * the consumer over until the task is done. Idle, it looks once per {@code pauseAfter}, so a task
     * is paused within twice that, well inside {@code max.poll.interval.ms}.
     */
    private void keep() {
        while (!closed && !abandoned) {
            Task task = unattended.get();
            long waitNanos = pauseAfter.toNanos();
            if (task != null && task != KEPT) {
                long dueInNanos = task.startedNanos + pauseAfter.toNanos() - System.nanoTime();
                if (dueInNanos <= 0 && unattended.compareAndSet(task, KEPT)) {
                    pollBeside(consumer, task);
                    unattended.set(null);
                    LockSupport.unpark(pollingThread);
                    continue;
                }
                waitNanos = Math.max(dueInNanos, 1);
            }
            LockSupport.parkNanos(this, waitNanos);
        }
    }

    /**
     * On the keeper, holding the consumer while a long task runs: pauses every partition and polls
     * (records that come anyway, of partitions assigned meanwhile, are given back), commits what
     * earlier tasks did, and retries dead letters. After {@link #stop()}, waits for the task up to
     * {@code shutdownTimeout}, then abandons it.
     */
    private void pollBeside(Consumer<String, byte[]> kafka, Task task) {
        kafka.pause(kafka.assignment());
        long stopSeenNanos = 0;
        while (!taskFinished) {
            if (stopping) {
                if (stopSeenNanos == 0) {
                    stopSeenNanos = System.nanoTime();
                } else if (System.nanoTime() - stopSeenNanos >= shutdownTimeout.toNanos()) {
                    abandon(kafka, task);
                    return;
                }
            }
            retryDeadLetters(kafka);
            commitAsync(kafka);
            ConsumerRecords<String, byte[]> records = poll(kafka);
            if (!records.isEmpty()) {
                giveBack(kafka, records);
                kafka.pause(records.partitions());
            }
        }
    }

    /** At shutdown, a listener that does not return: commit what was done and leave the group without it. */
    private void abandon(Consumer<String, byte[]> kafka, Task task) {
        log.warn("Worker {}: the listeners did not finish within {} s of the stop; their records will be delivered again",
                name, shutdownTimeout.toSeconds());
        task.cancelled.addAll(kafka.assignment());
        task.handledSoFar.forEach((partition, next) -> {
            if (!dispatcher.buffers(partition.topic())) {
                committable.put(partition, next);
            }
        });
        commitSync(kafka, committable);
        forgetAll();
        // So that closing, which revokes the partitions, neither waits for the task nor flushes beside it.
        inFlight = null;
        abandoned = true;
        kafka.close();
    }

    /** Handles a batch, record by record, until it is done or its partitions are revoked or the worker stops. */
    private TaskResult handle(Task task, ConsumerRecords<String, byte[]> records, boolean flush) {
        Map<TopicPartition, Long> handled = new HashMap<>();
        Map<TopicPartition, Long> firstHandled = new HashMap<>();
        Map<TopicPartition, Long> unhandled = new HashMap<>();
        Map<TopicPartition, Blocked> waiting = new HashMap<>();
        Set<TopicPartition> skipped = new HashSet<>();
        TopicPartition partition = null;
        int left = records.count();
        for (ConsumerRecord<String, byte[]> record : records) {
            left--;
            // Records come partition by partition: one key per partition, its hash computed once.
            if (partition == null || partition.partition() != record.partition()
                    || !partition.topic().equals(record.topic())) {
                partition = new TopicPartition(record.topic(), record.partition());
            }
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
                dispatched = dispatcher.dispatch(record, left > 0);
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

    /** After the loop: flush, and commit what may be. */
    void finish(Consumer<String, byte[]> kafka) {
        if (!abandoned) {
            runTask(kafka, new Task(), () -> TaskResult.flushOnly(dispatcher.flushAll()));
        }
        if (abandoned) {
            return;
        }
        // Every committable offset, in case an asynchronous commit failed; close() then revokes with nothing left to do.
        commitSync(kafka, committable);
        forgetAll();
        closed = true;
        LockSupport.unpark(keeper);
    }

    private void forgetAll() {
        committable.clear();
        sent.clear();
        commitInFlight = false;
        unflushed.clear();
        unflushedFrom.clear();
        blocked.clear();
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
                // What the task finished on them before the cancel, where no flush is needed.
                for (TopicPartition partition : partitions) {
                    Long next = task.handledSoFar.get(partition);
                    if (next != null && !dispatcher.buffers(partition.topic())) {
                        committable.put(partition, next);
                    }
                }
            } else if (partitions.stream().anyMatch(unflushed::containsKey)) {
                // Inside poll, on the polling thread: no keeper can poll meanwhile, and the rebalance waits for the flush.
                applyFlush(kafka, dispatcher.flushAll());
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
         * Another worker may own these partitions next: the task skips their remaining records,
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
