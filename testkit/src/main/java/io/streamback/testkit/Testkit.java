package io.streamback.testkit;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One {@link KafkaBroker} and one {@link RedisServer}: everything a Streamback service needs for its
 * main and feedback streams. They run in this JVM and a child process, or as containers, as the
 * {@linkplain TestkitMode#configured() configured mode} says.
 *
 * <p>Starting Kafka costs seconds, so tests normally share one instance per JVM through
 * {@link #shared()} and isolate themselves with {@linkplain #uniqueName(String) unique} topic and
 * group names. Tests that stop or restart the servers should {@link #start()} their own instance.
 */
public final class Testkit implements AutoCloseable {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SUFFIX_LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static Testkit shared;

    private final KafkaBroker kafka;
    private final RedisServer redis;

    private Testkit(KafkaBroker kafka, RedisServer redis) {
        this.kafka = kafka;
        this.redis = redis;
    }

    /**
     * The instance shared by all tests in this JVM, started on first use. It is closed by the JVM
     * shutdown hooks that every {@link KafkaBroker} and {@link RedisServer} registers. Do not stop or
     * close it: other tests rely on it.
     */
    public static synchronized Testkit shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Starts a private broker and Redis server, in parallel, in the configured mode; the caller closes them. */
    public static Testkit start() {
        CompletableFuture<RedisServer> redis = CompletableFuture.supplyAsync(RedisServer::start);
        KafkaBroker kafka;
        try {
            kafka = KafkaBroker.start();
        } catch (RuntimeException e) {
            redis.thenAccept(RedisServer::close);
            throw e;
        }
        try {
            return new Testkit(kafka, redis.join());
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * A name for a topic, group or key prefix that no other test uses: the prefix, lower-cased with
     * characters other than {@code [a-z0-9-]} replaced by {@code -}, then {@code -} and a random suffix.
     */
    public static String uniqueName(String prefix) {
        StringBuilder name = new StringBuilder(prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"))
                .append('-');
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return name.toString();
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public RedisServer redis() {
        return redis;
    }

    /** Shortcut for {@code kafka().bootstrapServers()}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Shortcut for {@code redis().url()}. */
    public String redisUrl() {
        return redis.url();
    }

    /** The Streamback streams URL pointing at these servers: {@code main=kafka://HOST:PORT&feedback=redis://HOST:PORT}. */
    public String streamsUrl() {
        return "main=kafka://" + bootstrapServers() + "&feedback=" + redisUrl();
    }

    /** Closes the broker and the Redis server. */
    @Override
    public void close() {
        try {
            redis.close();
        } finally {
            kafka.close();
        }
    }
}
