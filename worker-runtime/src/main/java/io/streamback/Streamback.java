package io.streamback;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Scope;
import io.streamback.callback.Callback;
import io.streamback.callback.RunningStreamback;
import io.streamback.config.StreamsUrl;
import io.streamback.feedback.FeedbackLane;
import io.streamback.internal.feedback.FeedbackWriter;
import io.streamback.internal.feedback.RedisFeedbackLane;
import io.streamback.internal.kafka.KafkaClients;
import io.streamback.internal.kafka.MainStreamProducer;
import io.streamback.internal.kafka.TopicMetadata;
import io.streamback.internal.metrics.ListenerMetrics;
import io.streamback.internal.redis.FeedbackStore;
import io.streamback.internal.runtime.Callbacks;
import io.streamback.internal.runtime.DeadLetters;
import io.streamback.internal.runtime.ListenerRuntime;
import io.streamback.internal.schedule.ScheduleLedger;
import io.streamback.internal.schedule.Scheduler;
import io.streamback.internal.tracing.SendSpan;
import io.streamback.internal.tracing.StreambackTracing;
import io.streamback.internal.wire.WireFormat;
import io.streamback.kafka.KeyPartitioner;
import io.streamback.kafka.TopicDefaults;
import io.streamback.listener.Listener;
import io.streamback.listener.ListenerDefinition;
import io.streamback.listener.ListenerOptions;
import io.streamback.listener.MessageHandler;
import io.streamback.listener.RetryStrategy;
import io.streamback.listener.Router;
import io.streamback.schedule.InvalidCronException;
import io.streamback.schedule.Schedule;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-way streams for microservices: send messages on Kafka topics, listen to them, and answer
 * the producer through a Redis feedback stream.
 *
 * <p>Build one per application and share it: it is thread-safe, and holds the Kafka producer (made at the first send),
 * the Redis connections and the consumer threads until {@link #close()}.
 *
 * <pre>{@code
 * Streamback streamback = Streamback.create("example_producer_app", "main=kafka://kafka:9092&feedback=redis://redis:6379");
 * Optional<Reply<JsonNode>> reply = streamback.send("test_hello_stream", Map.of("something", "Hello world!")).read(Duration.ofSeconds(10));
 * }</pre>
 */
public final class Streamback implements RunningStreamback, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Streamback.class);

    private final String name;
    private final StreamsUrl streams;
    private final Duration feedbackTimeout;
    private final Duration feedbackTtl;
    private final Duration connectTimeout;
    private final Duration shutdownTimeout;
    private final KafkaClients kafka;
    private final MainStreamProducer producer;
    private final FeedbackStore feedbackStore;
    private final FeedbackWriter feedbackWriter;
    private final ExecutorService asyncReads;
    private final Router listeners = new Router();
    private final Optional<Set<String>> topicsFilter;
    private final RetryStrategy defaultRetry;
    private final int defaultConcurrency;
    private final Optional<String> deadLetterTopic;
    private final Callbacks callbacks = new Callbacks();
    private final ListenerMetrics metrics;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean closed;
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    private final Duration scheduleGrace;
    private ListenerRuntime runtime;
    private Scheduler scheduler;
    private CompletableFuture<Void> started;
    private volatile StreambackException stopReason;
    private final TopicMetadata topicMetadata;
    /** Made only to create topics or read the lags of tiered listeners: most workers never load its classes. */
    private Admin admin;
    private final Optional<TopicDefaults> createMissingTopics;
    private volatile Set<String> listenerTopics = Set.of();
    private final StreambackTracing tracing;

    private Streamback(Builder builder) {
        this.streams = StreamsUrl.parse(builder.streams);
        this.name = streams.group().orElse(builder.name);
        this.feedbackTimeout = builder.feedbackTimeout;
        this.feedbackTtl = builder.feedbackTtl;
        this.connectTimeout = builder.connectTimeout;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.kafka = new KafkaClients(streams.main(), connectTimeout, builder.kafkaProperties);
        this.producer = new MainStreamProducer(kafka, name + "-producer", builder.keyPartitioner);
        this.topicMetadata = new TopicMetadata(kafka, name + "-metadata");
        this.feedbackStore = streams.feedback()
                .map(endpoint -> new FeedbackStore(endpoint, connectTimeout, builder.feedbackConnections))
                .orElse(null);
        this.metrics = new ListenerMetrics(builder.meterRegistry);
        this.feedbackWriter = new FeedbackWriter(feedbackStore, name, feedbackTtl, metrics);
        this.topicsFilter = builder.topicsFilter.map(topics -> Set.copyOf(topics.stream().map(streams::topicName).toList()));
        this.defaultRetry = builder.retryStrategy;
        this.defaultConcurrency = builder.defaultConcurrency;
        this.deadLetterTopic = builder.deadLetterTopic;
        this.scheduleGrace = builder.scheduleGrace;
        this.createMissingTopics = builder.createMissingTopics;
        this.asyncReads = Executors.newCachedThreadPool(daemonThreads("streamback-" + name + "-read-"));
        this.tracing = StreambackTracing.of(builder.openTelemetry.orElseGet(StreambackTracing::globalOpenTelemetry));
    }

    /** A Streamback with default settings; see {@link #builder(String)} for the others. */
    public static Streamback create(String name, String streamsUrl) {
        return builder(name).streams(streamsUrl).build();
    }

    /**
     * Starts configuring a Streamback.
     *
     * @param name the application name: the Kafka consumer group and the {@code source_group} of
     *             what it sends (the streams URL's {@code group=} overrides it)
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The application name in use (the streams URL's {@code group=} when given). */
    @Override
    public String name() {
        return name;
    }

    /** The parsed streams URL; its {@code toString()} masks passwords. */
    public StreamsUrl streams() {
        return streams;
    }

    /** Sends {@code value} (any Jackson-serialisable object, or null) to {@code topic}. */
    @Override
    public FeedbackLane send(String topic, Object value) {
        return send(topic, value, null);
    }

    /**
     * Sends {@code value} to {@code topic} with a record key (messages with one key stay in order
     * on one partition).
     *
     * @return the lane to read the listeners' replies from
     * @throws InvalidMessageException when Kafka does not take the topic name or the value's size
     * @throws IllegalArgumentException when the value can't be written as JSON, or would be written as
     *         an empty object although its class has fields (Jackson sees no getters)
     * @throws IllegalStateException when this Streamback is closed
     * @throws StreamUnavailableException when Kafka cannot be reached within the connect timeout
     */
    @Override
    public FeedbackLane send(String topic, Object value, String key) {
        if (topic == null) {
            throw new IllegalArgumentException("send needs a topic, got null");
        }
        String realTopic = streams.topicName(topic);
        String feedbackTopic = WireFormat.newFeedbackTopic();
        byte[] record = WireFormat.encodeMessage(value, feedbackTopic, name);
        if (closed) {
            throw new IllegalStateException("Streamback '" + name + "' is closed");
        }
        SendSpan span = tracing.startSend(realTopic, key, feedbackTopic, name);
        CompletableFuture<RecordMetadata> acked;
        try (Scope ignored = span.makeCurrent()) {
            acked = producer.send(realTopic, key, record, span.headers());
        } catch (IllegalStateException e) {
            if (closed) { // closed while sending: Kafka's producer says so in its own words
                throw span.failed(new IllegalStateException("Streamback '" + name + "' is closed", e));
            }
            throw span.failed(e);
        } catch (RuntimeException e) {
            throw span.failed(e);
        }
        log.debug("Sent to {} (key {}, feedback topic {})", realTopic, key, feedbackTopic);
        return new RedisFeedbackLane(realTopic, feedbackTopic, feedbackStore, feedbackTimeout, feedbackTtl,
                span.endWhenAcked(acked), asyncReads, span.feedback());
    }

    /** Picks up the replies of a message sent elsewhere, from its feedback topic alone (within the feedback TTL). */
    @Override
    public FeedbackLane continueStream(String feedbackTopic) {
        Objects.requireNonNull(feedbackTopic, "feedbackTopic");
        return new RedisFeedbackLane(null, feedbackTopic, feedbackStore, feedbackTimeout, feedbackTtl,
                CompletableFuture.completedFuture(null), asyncReads, tracing.resumedFeedback(feedbackTopic));
    }

    /**
     * Calls {@code handler} for every message on {@code topic}. Several listeners may share a
     * topic; each message goes to all of them. Register before starting.
     */
    public Streamback listen(String topic, MessageHandler handler) {
        return listen(ListenerOptions.topic(topic), handler);
    }

    /** Like {@link #listen(String, MessageHandler)}, with topics, concurrency and retries from {@code options}. */
    public Streamback listen(ListenerOptions options, MessageHandler handler) {
        return registering(router -> router.listen(options, handler));
    }

    /** A class-based listener: {@code factory} makes one instance per consumer worker (and again on recycle). */
    public Streamback listen(ListenerOptions options, Supplier<? extends Listener> factory) {
        return registering(router -> router.listen(options, factory));
    }

    /**
     * Registers the {@link io.streamback.listener.Listen @Listen} methods of {@code listeners},
     * or an annotated {@link Listener} instance.
     *
     * @throws IllegalArgumentException when a listener is misdeclared, naming it and what is wrong
     */
    public Streamback register(Object listeners) {
        return registering(router -> router.register(listeners));
    }

    /** Registers an annotated {@link Listener} class; each consumer worker gets its own instance. */
    public Streamback register(Class<? extends Listener> listenerClass) {
        return registering(router -> router.register(listenerClass));
    }

    /** Adds every listener collected by {@code router}. */
    public Streamback includeRouter(Router router) {
        return registering(own -> own.includeRouter(router));
    }

    /**
     * Sends {@code args} to topic {@code then} at every occurrence of the cron expression
     * {@code when}, while this Streamback runs (as the Python library's {@code schedule}).
     * Register before starting.
     *
     * <p>Each occurrence is sent once, however many replicas of the application run and restart:
     * the replicas claim it in Redis, so scheduling needs the feedback stream. Occurrences missed
     * while no replica ran are sent on start if at most the grace window late
     * ({@link Builder#scheduleGrace(Duration)}), else skipped and logged.
     *
     * @param name        unique within the application
     * @param when        6 fields, seconds first ({@code "*}{@code /30 * * * * *"}: every 30 s), or 5 fields
     *                    at second 0; standard cron semantics, Sunday is 0 or 7, UTC
     * @param then        the topic
     * @param args        the message value: anything Jackson can write, or null
     * @param description what it is for, for people and logs
     * @throws InvalidCronException     naming the expression and the offending field
     * @throws IllegalArgumentException when a schedule of that name is already registered
     * @throws IllegalStateException    without a feedback stream, or after start
     */
    public Streamback schedule(String name, String when, String then, Object args, String description) {
        return schedule(Schedule.named(name).when(when).then(then).args(args).description(description).build());
    }

    /** Like {@link #schedule(String, String, String, Object, String)}, with a time zone: see {@link Schedule#named(String)}. */
    public synchronized Streamback schedule(Schedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        if (feedbackStore == null) {
            throw new IllegalStateException("Schedule '" + schedule.name() + "' needs the feedback stream: each occurrence "
                    + "is claimed in Redis so that it fires exactly once across replicas; add feedback=redis://HOST:PORT "
                    + "to the streams URL");
        }
        if (started != null) {
            throw new IllegalStateException("Streamback '" + name + "' is already started: add schedules before start()");
        }
        if (schedules.putIfAbsent(schedule.name(), schedule) != null) {
            throw new IllegalArgumentException("Streamback '" + name + "' already has a schedule named '" + schedule.name() + "'");
        }
        return this;
    }

    /** Adds a lifecycle callback; callbacks run in the order added. */
    public Streamback addCallback(Callback callback) {
        callbacks.add(Objects.requireNonNull(callback, "callback"));
        return this;
    }

    /** The meters Streamback records (listener counts, latencies, replies, Kafka consumer metrics). */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /**
     * Replaces every consumer worker, one at a time: each finishes its record, flushes its
     * listeners and commits, then a fresh worker with new listener instances takes over.
     */
    @Override
    public void recycleWorkers() {
        ListenerRuntime current;
        synchronized (this) {
            current = runtime;
        }
        if (current != null) {
            current.recycle();
        }
    }

    /** Whether every consumer worker is alive and polling (true before start and when there are no listeners). */
    public boolean isHealthy() {
        ListenerRuntime current;
        synchronized (this) {
            current = runtime;
        }
        return current == null || current.healthy();
    }

    private synchronized Streamback registering(java.util.function.Consumer<Router> registration) {
        if (started != null) {
            throw new IllegalStateException("Streamback '" + name + "' is already started: register listeners before start()");
        }
        registration.accept(listeners);
        return this;
    }

    /**
     * Starts the listeners and the schedules in the background.
     *
     * @return completes once the listeners have joined the consumer group and got their
     *         partitions; fails with {@link StreamUnavailableException} when Kafka or Redis
     *         can't be reached within the connect timeout
     */
    public synchronized CompletableFuture<Void> startAsync() {
        if (started != null) {
            return started;
        }
        if (closed) {
            throw new IllegalStateException("Streamback '" + name + "' is closed");
        }
        started = new CompletableFuture<>();
        try {
            checkReachable();
        } catch (StreamUnavailableException e) {
            started.completeExceptionally(e);
            return started;
        }
        if (!schedules.isEmpty()) {
            scheduler = new Scheduler(List.copyOf(schedules.values()), scheduleGrace, new ScheduleLedger(feedbackStore, name),
                    (schedule, occurrence) -> tracing.fire(schedule.name(), occurrence,
                            () -> send(schedule.then(), schedule.args()).sent()), Clock.systemUTC(),
                    metrics.registry());
            scheduler.start();
        }
        List<ListenerDefinition> definitions = activeListeners();
        if (definitions.isEmpty()) {
            log.info("Streamback '{}' started with no listeners", name);
            started.complete(null);
            return started;
        }
        listenerTopics = Set.copyOf(definitions.stream().flatMap(d -> d.topics().stream()).toList());
        if (createMissingTopics.isPresent()) {
            try {
                createMissing(listenerTopics, createMissingTopics.get());
            } catch (StreamUnavailableException e) {
                started.completeExceptionally(e);
                return started;
            }
        }
        DeadLetters deadLetters = deadLetterTopic.map(pattern -> new DeadLetters(producer, pattern, name)).orElse(null);
        runtime = new ListenerRuntime(this, name, kafka, definitions, defaultRetry, feedbackWriter, callbacks,
                metrics, deadLetters, shutdownTimeout, this::admin, connectTimeout, tracing.listeners(name));
        runtime.start().whenComplete((ok, error) -> {
            if (error == null) {
                log.info("Streamback '{}' listening on {}", name,
                        definitions.stream().flatMap(d -> d.topics().stream()).distinct().toList());
                CompletableFuture.runAsync(this::warnOfMissingTopics, asyncReads);
                started.complete(null);
            } else {
                started.completeExceptionally(error);
            }
        });
        return started;
    }

    /** The registered listeners with the topics prefix applied and the topics filter, if any, kept to. */
    private List<ListenerDefinition> activeListeners() {
        return listeners.definitions().stream()
                .map(listener -> listener.withTopics(listener.topics().stream()
                        .map(streams::topicName)
                        .filter(topic -> topicsFilter.map(filter -> filter.contains(topic)).orElse(true))
                        .distinct()
                        .toList()))
                .filter(listener -> !listener.topics().isEmpty())
                .map(listener -> listener.withDefaultConcurrency(defaultConcurrency))
                .toList();
    }

    /**
     * Starts the listeners and the schedules, and blocks until {@link #close()} is called (from
     * another thread or a shutdown hook) or a worker fails.
     *
     * @throws StreamUnavailableException when Kafka or Redis can't be reached
     */
    public void start() {
        try {
            startAsync().get();
            stopped.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StreambackException("Streamback '" + name + "' stopped: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Closes this Streamback in the background because of {@code reason}, which a blocked
     * {@link #start()} then throws. For extensions that must stop the worker, such as
     * {@link io.streamback.callback.AutoRestart}.
     */
    @Override
    public void closeExceptionally(StreambackException reason) {
        stopReason = Objects.requireNonNull(reason, "reason");
        Thread closer = new Thread(this::close, "streamback-" + name + "-close");
        closer.start();
    }

    /**
     * Whether this Streamback can do its work now: started, every worker polling, every listener's
     * topic existing, Kafka answering and, when configured, Redis answering. Checks the servers, so
     * it takes up to the connect timeout when one of them is down.
     */
    public boolean isReady() {
        return notReadyBecause().isEmpty();
    }

    /**
     * Why this Streamback is not {@linkplain #isReady() ready}, naming what is missing (e.g. the
     * listener topics that do not exist); empty when it is ready.
     */
    public Optional<String> notReadyBecause() {
        CompletableFuture<Void> start;
        synchronized (this) {
            if (closed) {
                return Optional.of("closed");
            }
            start = started;
        }
        if (start == null || !start.isDone()) {
            return Optional.of("starting");
        }
        if (start.isCompletedExceptionally() || !isHealthy()) {
            return Optional.of("a worker is not polling");
        }
        try {
            // Asks the broker even without listener topics: Kafka answering is part of being ready.
            Set<String> missing = missingTopics(listenerTopics, topicMetadata.topicNames(connectTimeout));
            if (!missing.isEmpty()) {
                return Optional.of("listener topics do not exist: " + String.join(", ", missing));
            }
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (KafkaException | StreamUnavailableException e) {
            return Optional.of("Kafka " + streams.main().bootstrapServers() + " does not answer");
        } catch (IllegalStateException e) {
            return Optional.of("closed"); // closed meanwhile
        }
        try {
            if (feedbackStore != null) {
                feedbackStore.ping();
            }
        } catch (StreamUnavailableException e) {
            return Optional.of("the feedback stream does not answer");
        }
        return Optional.empty();
    }

    /** Of {@code topics}, those not in {@code existing}, sorted. */
    private static Set<String> missingTopics(Set<String> topics, Set<String> existing) {
        Set<String> missing = new TreeSet<>(topics);
        missing.removeAll(existing);
        return missing;
    }

    private void createMissing(Set<String> topics, TopicDefaults defaults) {
        try {
            Set<String> missing = missingTopics(topics, topicMetadata.topicNames(connectTimeout));
            if (missing.isEmpty()) {
                return;
            }
            List<NewTopic> created = missing.stream()
                    .map(topic -> new NewTopic(topic, Optional.of(defaults.partitions()), defaults.replicationFactor()))
                    .toList();
            try {
                admin().createTopics(created).all().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another worker was first
                    throw e;
                }
            }
            log.info("Created the listener topics {} ({} partitions, replication factor {})", missing,
                    defaults.partitions(), defaults.replicationFactor().map(String::valueOf).orElse("as the broker's default"));
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new StreamUnavailableException("Could not create the listener topics on Kafka "
                    + streams.main().bootstrapServers() + ": " + kafka.describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamUnavailableException("Interrupted while creating the listener topics", e);
        }
    }

    private void warnOfMissingTopics() {
        try {
            Set<String> missing = missingTopics(listenerTopics, topicMetadata.topicNames(connectTimeout));
            if (!missing.isEmpty()) {
                log.warn("Listener topics {} do not exist on Kafka {}: '{}' is not ready until they do. Create them, "
                        + "let the broker create topics, or have Streamback create them (createMissingTopics, "
                        + "STREAMBACK_CREATE_MISSING_TOPICS)", missing, streams.main().bootstrapServers(), name);
            }
        } catch (RuntimeException e) {
            log.debug("Could not list the topics of Kafka {}: {}", streams.main().bootstrapServers(), e.toString());
        }
    }

    /** The admin client for creating topics and reading listener lags, made on first use. */
    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("Streamback '" + name + "' is closed");
        }
        if (admin == null) {
            admin = Admin.create(kafka.admin(name + "-admin"));
        }
        return admin;
    }

    /**
     * Stops the schedules and the listeners (each finishes the message in hand and commits), sends
     * what is buffered, and releases every connection. Idempotent.
     */
    @Override
    public void close() {
        ListenerRuntime current;
        Scheduler currentScheduler;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = runtime;
            currentScheduler = scheduler;
        }
        if (currentScheduler != null) {
            currentScheduler.close();
        }
        if (current != null) {
            current.stop();
        }
        producer.close(shutdownTimeout);
        if (feedbackStore != null) {
            feedbackStore.close();
        }
        asyncReads.shutdownNow();
        topicMetadata.close(connectTimeout);
        synchronized (this) {
            if (admin != null) {
                admin.close(connectTimeout);
            }
        }
        if (stopReason != null) {
            stopped.completeExceptionally(stopReason);
        } else {
            stopped.complete(null);
        }
        log.info("Streamback '{}' closed", name);
    }

    private void checkReachable() {
        if (listeners.definitions().isEmpty() && schedules.isEmpty()) {
            return;
        }
        kafka.missingSecurity().ifPresent(missing -> {
            throw new StreamUnavailableException("Kafka " + streams.main().bootstrapServers()
                    + " refused the connection: " + missing);
        });
        try {
            topicMetadata.topicNames(connectTimeout);
        } catch (AuthenticationException refused) {
            throw new StreamUnavailableException("Kafka " + streams.main().bootstrapServers()
                    + " refused the connection: " + kafka.describe(refused), refused);
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
            throw new StreamUnavailableException("Interrupted while connecting to Kafka", e);
        } catch (KafkaException e) {
            throw unreachable(e);
        }
        if (feedbackStore != null) {
            feedbackStore.ping();
        }
    }

    private StreamUnavailableException unreachable(Exception cause) {
        return new StreamUnavailableException("Kafka " + streams.main().bootstrapServers()
                + " is unreachable: no answer within " + connectTimeout.toSeconds() + " s", cause);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Settings of a {@link Streamback}; only the streams URL is required. */
    public static final class Builder {
        private final String name;
        private String streams;
        private Duration feedbackTimeout = Duration.ofSeconds(60);
        private Duration feedbackTtl = Duration.ofSeconds(300);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private int feedbackConnections = 64;
        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
        private Optional<Set<String>> topicsFilter = Optional.empty();
        private RetryStrategy retryStrategy = RetryStrategy.none();
        private int defaultConcurrency;
        private Optional<String> deadLetterTopic = Optional.of("{topic}.dlt");
        private MeterRegistry meterRegistry = new SimpleMeterRegistry();
        private Duration scheduleGrace = Duration.ofSeconds(60);
        private KeyPartitioner keyPartitioner = KeyPartitioner.CRC32;
        private Optional<TopicDefaults> createMissingTopics = Optional.empty();
        private Optional<OpenTelemetry> openTelemetry = Optional.empty();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Streamback needs an application name (its consumer group)");
            }
            this.name = name;
        }

        /** Where the streams live: {@code main=kafka://HOST:PORT&feedback=redis://HOST:PORT[&topics_prefix=P][&group=G]}. */
        public Builder streams(String streamsUrl) {
            this.streams = streamsUrl;
            return this;
        }

        /** How long {@code read()} and each step of {@code stream()} wait by default (60 s). */
        public Builder feedbackTimeout(Duration timeout) {
            this.feedbackTimeout = positive(timeout, "feedbackTimeout");
            return this;
        }

        /** How long unread replies stay in Redis (300 s, as in the Python library). */
        public Builder feedbackTtl(Duration ttl) {
            this.feedbackTtl = positive(ttl, "feedbackTtl");
            return this;
        }

        /** How long to wait for Kafka or Redis before reporting them unreachable (10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long {@link Streamback#close()} waits for in-flight messages (30 s). */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = positive(timeout, "shutdownTimeout");
            return this;
        }

        /** At most this many Redis connections; each blocking read holds one while it waits (64). */
        public Builder feedbackConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("feedbackConnections must be at least 1, got " + connections);
            }
            this.feedbackConnections = connections;
            return this;
        }

        /** A Kafka client setting for the producer, consumers and admin client, over Streamback's defaults. */
        public Builder kafkaProperty(String name, String value) {
            kafkaProperties.put(name, value);
            return this;
        }

        /**
         * Runs only the listeners of these topics (as named in code, before any topics prefix);
         * how one service image runs one Deployment per listener.
         */
        public Builder topicsFilter(Set<String> topics) {
            this.topicsFilter = Optional.of(new LinkedHashSet<>(topics));
            return this;
        }

        /** The retry strategy of listeners that declare none (default: no retries). */
        public Builder retryStrategy(RetryStrategy strategy) {
            this.retryStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Dedicated consumer workers for each listener that sets no concurrency of its own
         * (default 0: such listeners share the application's one pool worker).
         */
        public Builder defaultConcurrency(int workers) {
            if (workers < 0) {
                throw new IllegalArgumentException("defaultConcurrency must be 0 or more, got " + workers);
            }
            this.defaultConcurrency = workers;
            return this;
        }

        /**
         * Where records go that can't be handled (not the wire format, or failed after the last
         * retry): a topic name in which {@code {topic}} stands for the record's topic
         * ({@code {topic}.dlt} by default). Null or blank: such records are only logged.
         */
        public Builder deadLetterTopic(String pattern) {
            this.deadLetterTopic = Optional.ofNullable(pattern).filter(p -> !p.isBlank());
            return this;
        }

        /** Where Streamback records its meters, e.g. a Prometheus registry (default: a simple in-memory one). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * How late a schedule's occurrence may still be sent (60 s): after a restart, missed
         * occurrences at most this late are sent once, older ones are skipped and logged.
         */
        public Builder scheduleGrace(Duration grace) {
            this.scheduleGrace = positive(grace, "scheduleGrace");
            return this;
        }

        /**
         * How a message with a key picks its partition: {@link KeyPartitioner#CRC32} (the default)
         * as the Python library does, or {@link KeyPartitioner#MURMUR2} as Kafka's Java client does.
         */
        public Builder keyPartitioner(KeyPartitioner partitioner) {
            this.keyPartitioner = Objects.requireNonNull(partitioner, "partitioner");
            return this;
        }

        /**
         * Creates the listeners' topics that do not exist when starting, laid out as
         * {@code defaults} (off by default: topics are usually made by whoever owns the cluster, or
         * by the broker's auto-creation). Without it, a worker whose topics are missing says so in
         * its log and stays not ready.
         */
        public Builder createMissingTopics(TopicDefaults defaults) {
            this.createMissingTopics = Optional.of(Objects.requireNonNull(defaults, "defaults"));
            return this;
        }

        /**
         * Where spans go and how trace context travels (see docs/tracing.md). By default the global
         * one as {@link Streamback} is built: the Java agent's when it is attached, the one an
         * application registered with {@code GlobalOpenTelemetry.set}, else a no-op that costs
         * nothing.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Optional.of(Objects.requireNonNull(openTelemetry, "openTelemetry"));
            return this;
        }

        /** @throws io.streamback.config.InvalidStreamsUrlException when the streams URL is missing or malformed */
        public Streamback build() {
            return new Streamback(this);
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}
