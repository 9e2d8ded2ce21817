package io.streamback.redis;

import io.streamback.StreamUnavailableException;
import io.streamback.config.Credentials;
import io.streamback.config.RedisEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.KeyValue;

/**
 * The feedback stream's Redis lists: replies are pushed with LPUSH and a TTL, and popped
 * with BRPOP, so entries come out in push order. Schedules keep their claims here too (see
 * {@link io.streamback.schedule.ScheduleLedger}). Thread-safe; each blocking read holds one
 * pooled connection while it waits.
 */
public final class FeedbackStore implements AutoCloseable {
    private final RedisEndpoint endpoint;
    private final JedisPooled redis;

    public FeedbackStore(RedisEndpoint endpoint, Duration connectTimeout, int maxConnections) {
        this.endpoint = endpoint;
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
                .socketTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
                .database(endpoint.database())
                .ssl(endpoint.tls())
                .clientName("streamback");
        endpoint.credentials().ifPresent(credentials -> {
            credentials.username().ifPresent(config::user);
            config.password(credentials.password());
        });
        if (endpoint.tls()) {
            // Jedis checks no host name by itself: JSSE does, given the HTTPS identification algorithm.
            SSLParameters verifyHostName = new SSLParameters();
            verifyHostName.setEndpointIdentificationAlgorithm("HTTPS");
            config.sslParameters(verifyHostName);
            endpoint.caFile().ifPresent(caFile -> config.sslSocketFactory(caFile.sslContext().getSocketFactory()));
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMaxWait(connectTimeout);
        pool.setJmxEnabled(false);
        this.redis = new JedisPooled(pool,
                new HostAndPort(endpoint.server().host(), endpoint.server().port()), config.build());
    }

    /** Appends an entry to the list {@code key} and (re)sets the list's time to live. */
    public void push(String key, String entry, Duration ttl) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            pipeline.lpush(key, entry);
            pipeline.expire(key, Math.max(1, ttl.toSeconds()));
            pipeline.sync();
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** Appends one entry to each list in {@code entries} (key to entry) in a single round trip. */
    public void pushAll(List<Map.Entry<String, String>> entries, Duration ttl) {
        if (entries.isEmpty()) {
            return;
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Map.Entry<String, String> entry : entries) {
                pipeline.lpush(entry.getKey(), entry.getValue());
                pipeline.expire(entry.getKey(), Math.max(1, ttl.toSeconds()));
            }
            pipeline.sync();
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** Takes the oldest entry of {@code key}, waiting up to {@code timeout}; empty when none came. */
    public Optional<String> pop(String key, Duration timeout) {
        double seconds = Math.max(0.001, timeout.toNanos() / 1e9);
        try {
            KeyValue<String, String> popped = redis.brpop(seconds, key);
            return popped == null ? Optional.empty() : Optional.of(popped.getValue());
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /**
     * Sets {@code key} to {@code value}, expiring after {@code ttl}, unless the key exists
     * (SET NX PX, atomic): true when this call set it. How schedules claim an occurrence.
     */
    public boolean setIfAbsent(String key, String value, Duration ttl) {
        try {
            return "OK".equals(redis.set(key, value, SetParams.setParams().nx().px(Math.max(1, ttl.toMillis()))));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** The string at {@code key}; empty when there is none. */
    public Optional<String> get(String key) {
        try {
            return Optional.ofNullable(redis.get(key));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** Sets {@code key} to {@code value}, without expiry. */
    public void set(String key, String value) {
        try {
            redis.set(key, value);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** Checks that Redis answers. */
    public void ping() {
        try {
            redis.ping();
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** Where this store lives, with the password masked. */
    public RedisEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        redis.close();
    }

    private StreamUnavailableException unavailable(JedisException e) {
        if (endpoint.credentials().isEmpty() && String.valueOf(e.getMessage()).startsWith("NOAUTH")) {
            return new StreamUnavailableException("Feedback stream " + endpoint + ": authentication missing: Redis "
                    + "demands a password but the streams URL gives none; write feedback=redis://[USER]:PASSWORD@HOST:PORT ("
                    + e.getMessage() + ")", e);
        }
        if (e instanceof JedisAccessControlException || e.getCause() instanceof JedisAccessControlException) {
            return new StreamUnavailableException("Feedback stream " + endpoint + " refused the credentials of "
                    + endpoint.credentials().flatMap(Credentials::username).map(user -> "user '" + user + "'")
                            .orElse("the default user")
                    + ": " + e.getMessage(), e);
        }
        return new StreamUnavailableException(
                "Feedback stream " + endpoint + " is unavailable: " + e.getMessage(), e);
    }
}
