package io.streamback.internal.redis;

import io.streamback.StreamUnavailableException;
import io.streamback.config.Credentials;
import io.streamback.config.HostPort;
import io.streamback.config.RedisEndpoint;
import io.streamback.config.RedisTopology;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.KeyValue;

/**
 * The feedback stream's Redis lists: replies are pushed with LPUSH and a TTL, and popped
 * with BRPOP, so entries come out in push order. Schedules keep their claims here too (see
 * {@link io.streamback.internal.schedule.ScheduleLedger}). Thread-safe; each blocking read holds one
 * pooled connection while it waits.
 *
 * <p>The Redis may be one server, a Sentinel-managed primary or a Redis Cluster (Jedis' own
 * clients for each). Every command names a single key, so on a cluster each lane's entries live
 * in one slot without hash tags, and the key names stay those of the Python library.
 *
 * <p>Pushes (a listener's replies, the worker's end markers) are queued and written by one
 * thread, in order, whatever is queued in one pipeline: the listener goes on while its reply travels.
 * Entries that could not be pushed are kept and pushed again in the background until they get
 * through or their time to live has passed, so a Redis failover delays them rather than dropping them.
 */
public final class FeedbackStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FeedbackStore.class);
    /** On a cluster, one attempt and one more after a redirection or a node gone: reads must not outlive their timeout. */
    private static final int CLUSTER_ATTEMPTS = 2;
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(200);
    private static final int RETRY_BATCH = 1_000;
    /** Bounds the memory the waiting entries take in a long outage; beyond it the oldest go, with a warning. */
    private static final int MAX_WAITING = 100_000;
    /** How many pushes may be queued for the writer before those who push wait for it. */
    private static final int MAX_QUEUED = 10_000;
    /**
     * The longest a single BRPOP waits; a longer read is several. Each then has a socket timeout
     * ({@link #POP_REPLY_MARGIN} more) instead of none: a read the server never answers (a Redis
     * Cluster node just restarted left a 0.2 s BRPOP blocked for minutes, in FeedbackFailoverTest)
     * fails, and a cluster tries it again on a new connection, rather than hang.
     */
    private static final Duration MAX_POP_WAIT = Duration.ofSeconds(2);
    /** How late the answer to a BRPOP may come after its timeout before the read counts as lost. */
    private static final Duration POP_REPLY_MARGIN = Duration.ofSeconds(2);

    private final RedisEndpoint endpoint;
    private final Duration connectTimeout;
    private final UnifiedJedis redis;
    private volatile boolean popCountSupported = true;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    /** When entries began to wait, the last time none did (System.nanoTime()). */
    private volatile long keptAtNanos = System.nanoTime();
    /** Entries to push, in order; the writer thread takes them. Guarded by itself. */
    private final Deque<Queued> queue = new ArrayDeque<>();
    private boolean closed;
    /** Whether the writer thread, or a caller ({@link Delivery#DIRECT_WHEN_IDLE}), is writing: pushes are written one group at a time, in order. */
    private boolean writing;
    private final Thread writer;

    /** An entry that failed to be pushed, until {@code deadlineNanos} (when its list would have expired). */
    private record Waiting(String key, String entry, Duration ttl, long deadlineNanos) {
    }

    /** Entries queued together, and the future that says whether Redis took them. */
    private record Queued(List<Waiting> entries, CompletableFuture<Void> pushed) {
    }

    /** The entries of a push that failed, and why the first of them did (null when none failed). */
    private record Failed(List<Waiting> entries, RuntimeException firstError) {
    }

    /**
     * @throws StreamUnavailableException when no sentinel, or no cluster node, answers (one server
     *                                    is only connected to on first use)
     */
    public FeedbackStore(RedisEndpoint endpoint, Duration connectTimeout, int maxConnections) {
        this.endpoint = endpoint;
        this.connectTimeout = connectTimeout;
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMaxWait(connectTimeout);
        pool.setJmxEnabled(false);
        JedisClientConfig data = clientConfig(endpoint, endpoint.credentials(), endpoint.database(), connectTimeout);
        try {
            if (endpoint.topology() instanceof RedisTopology.Sentinel sentinel) {
                JedisClientConfig sentinelConfig = clientConfig(endpoint, sentinel.credentials(), 0, connectTimeout);
                try {
                    this.redis = new JedisSentineled(sentinel.masterName(), data, pool, hostsAndPorts(sentinel.sentinels()),
                            sentinelConfig);
                } catch (JedisException e) {
                    throw sentinelRefusal(sentinel, sentinelConfig).orElseGet(() -> unavailable(e));
                }
            } else if (endpoint.topology() instanceof RedisTopology.Cluster cluster) {
                this.redis = new JedisCluster(hostsAndPorts(cluster.nodes()), data, CLUSTER_ATTEMPTS, connectTimeout, pool);
            } else {
                HostPort server = ((RedisTopology.Single) endpoint.topology()).server();
                this.redis = new JedisPooled(pool, new HostAndPort(server.host(), server.port()), data);
            }
        } catch (JedisException e) {
            throw unavailable(e);
        }
        this.writer = new Thread(this::writeQueued, "streamback-feedback-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private static JedisClientConfig clientConfig(RedisEndpoint endpoint, Optional<Credentials> credentials, int database,
                                                  Duration connectTimeout) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
                .socketTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
                .blockingSocketTimeoutMillis(Math.toIntExact(MAX_POP_WAIT.plus(POP_REPLY_MARGIN).toMillis()))
                .database(database)
                .ssl(endpoint.tls())
                .clientName("streamback");
        credentials.ifPresent(c -> {
            c.username().ifPresent(config::user);
            config.password(c.password());
        });
        if (endpoint.tls()) {
            // Jedis checks no host name by itself: JSSE does, given the HTTPS identification algorithm.
            SSLParameters verifyHostName = new SSLParameters();
            verifyHostName.setEndpointIdentificationAlgorithm("HTTPS");
            config.sslParameters(verifyHostName);
            endpoint.caFile().ifPresent(caFile -> config.sslSocketFactory(caFile.sslContext().getSocketFactory()));
        }
        return config.build();
    }

    /**
     * Jedis says only "All sentinels down" when none told it the primary; the first sentinel's own
     * answer says why (a refused password, no such master name, nothing listening).
     */
    private Optional<StreamUnavailableException> sentinelRefusal(RedisTopology.Sentinel sentinel, JedisClientConfig config) {
        HostPort first = sentinel.sentinels().get(0);
        try (Jedis jedis = new Jedis(new HostAndPort(first.host(), first.port()), config)) {
            if (jedis.sentinelGetMasterAddrByName(sentinel.masterName()) == null) {
                return Optional.of(new StreamUnavailableException("Feedback stream " + endpoint + " is unavailable: the "
                        + "sentinel " + first + " knows no master named '" + sentinel.masterName() + "'"));
            }
            return Optional.empty();
        } catch (JedisException e) {
            return Optional.of(new StreamUnavailableException("Feedback stream " + endpoint + " is unavailable: the sentinel "
                    + first + " answered: " + e.getMessage(), e));
        }
    }

    private static Set<HostAndPort> hostsAndPorts(List<HostPort> servers) {
        Set<HostAndPort> set = new LinkedHashSet<>();
        servers.forEach(server -> set.add(new HostAndPort(server.host(), server.port())));
        return set;
    }

    /** Who writes a push to Redis. */
    public enum Delivery {
        /** The writer thread: the caller goes on at once. */
        QUEUED,
        /**
         * The calling thread, when nothing is queued or being written: it then waits one round trip
         * instead of handing the push to the writer thread and waking it (a context switch on a
         * quiet worker, where latency matters most). Queued otherwise.
         */
        DIRECT_WHEN_IDLE
    }

    /**
     * Appends {@code entry} to the list {@code key} and (re)sets the list's time to live, after every
     * entry pushed before it. The future completes when Redis has the entry (see {@link #pushAll}).
     */
    public CompletableFuture<Void> push(String key, String entry, Duration ttl, Delivery delivery) {
        return enqueue(List.of(new Waiting(key, entry, ttl, System.nanoTime() + ttl.toNanos())), delivery);
    }

    /**
     * Appends one entry to each list in {@code entries} (key to entry), after every entry pushed
     * before them, {@link Delivery#DIRECT_WHEN_IDLE}. The writer thread pushes whatever is queued in
     * one pipeline: a listener's queued replies cost it no round trip, and the end markers of a batch
     * share one with the replies before them. When Redis can't take the entries, or earlier entries
     * still wait, they are kept and pushed again in the background (at least once: a batch that
     * failed halfway may push some entries twice).
     *
     * @return completes when Redis has them; fails with {@link StreamUnavailableException} when they
     *         were not pushed now but kept for later, or the store is closed
     */
    public CompletableFuture<Void> pushAll(List<Map.Entry<String, String>> entries, Duration ttl) {
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long deadline = System.nanoTime() + ttl.toNanos();
        List<Waiting> batch = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> entry : entries) {
            batch.add(new Waiting(entry.getKey(), entry.getValue(), ttl, deadline));
        }
        return enqueue(batch, Delivery.DIRECT_WHEN_IDLE);
    }

    private CompletableFuture<Void> enqueue(List<Waiting> entries, Delivery delivery) {
        Queued queued = new Queued(entries, new CompletableFuture<>());
        boolean interrupted = false;
        boolean direct = false;
        synchronized (queue) {
            if (closed) {
                return CompletableFuture.failedFuture(new StreamUnavailableException("Feedback stream " + endpoint + " is closed"));
            }
            if (delivery == Delivery.DIRECT_WHEN_IDLE && !writing && queue.isEmpty()) {
                writing = true;
                direct = true;
            } else {
                while (queue.size() >= MAX_QUEUED) { // Redis is slower than the listeners: they wait for it
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                queue.add(queued);
                if (queue.size() == 1) {
                    queue.notifyAll();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!direct) {
            return queued.pushed();
        }
        try {
            write(List.of(queued));
        } finally {
            synchronized (queue) {
                writing = false;
                // The writer thread waits for this write to end before it takes what queued meanwhile,
                // and learns here that entries now wait to be pushed again.
                if (!queue.isEmpty() || waitingEntries() > 0) {
                    queue.notifyAll();
                }
            }
        }
        return queued.pushed();
    }

    /**
     * The writer thread: takes what is queued, up to {@link #RETRY_BATCH} entries, and pushes it in one
     * pipeline; every {@link #RETRY_INTERVAL} while entries wait, pushes those again first. One thread
     * for both, so that an entry never overtakes one kept before it.
     */
    private void writeQueued() {
        List<Queued> group = new ArrayList<>();
        long lastRetry = System.nanoTime();
        while (true) {
            boolean retry;
            synchronized (queue) {
                while (true) {
                    // Due an interval after the last retry, or after entries were last kept, whichever is later.
                    long due = Math.max(lastRetry - keptAtNanos, 0) + keptAtNanos + RETRY_INTERVAL.toNanos();
                    long untilRetry = waitingEntries() > 0 ? Math.max(0, due - System.nanoTime()) : -1;
                    retry = untilRetry == 0;
                    if (!writing && (retry || !queue.isEmpty())) {
                        break;
                    }
                    if (closed && queue.isEmpty()) {
                        return; // close() makes the last attempt at the waiting entries
                    }
                    try {
                        queue.wait(untilRetry > 0 ? Math.max(1, untilRetry / 1_000_000) : 0);
                    } catch (InterruptedException e) {
                        // only close() stops the writer, once the queue is empty
                    }
                }
                int entries = 0;
                for (Queued next; entries < RETRY_BATCH && (next = queue.poll()) != null; ) {
                    group.add(next);
                    entries += next.entries().size();
                }
                writing = true;
                queue.notifyAll();
            }
            try {
                if (retry) {
                    retryWaiting();
                    lastRetry = System.nanoTime();
                }
                if (!group.isEmpty()) {
                    write(group);
                }
            } catch (Error e) {
                // Whoever waits for these must not wait forever; the writer goes on with the next.
                log.error("Pushing {} feedback entries to {} failed", group.size(), endpoint, e);
                StreamUnavailableException failed = new StreamUnavailableException(
                        "Feedback stream " + endpoint + ": pushing failed: " + e, e);
                group.forEach(queued -> queued.pushed().completeExceptionally(failed));
            } finally {
                synchronized (queue) {
                    writing = false;
                }
            }
            group.clear();
        }
    }

    private void write(List<Queued> group) {
        List<Waiting> entries = group.size() == 1 ? group.get(0).entries() : new ArrayList<>();
        if (group.size() > 1) {
            group.forEach(queued -> entries.addAll(queued.entries()));
        }
        int stillWaiting = waitingEntries();
        if (stillWaiting > 0) {
            // Redis failed a moment ago: these join the waiting entries, in order; the retries find out when it is back.
            keep(entries);
            StreamUnavailableException error = new StreamUnavailableException("Feedback stream " + endpoint
                    + " is unavailable: " + (stillWaiting + entries.size()) + " entries wait to be pushed again");
            group.forEach(queued -> queued.pushed().completeExceptionally(error));
            return;
        }
        Failed failed;
        try {
            failed = pipelinePush(entries);
        } catch (RuntimeException e) {
            keep(entries);
            StreamUnavailableException unavailable = e instanceof JedisException jedis ? unavailable(jedis)
                    : new StreamUnavailableException("Feedback stream " + endpoint + " is unavailable: " + e.getMessage(), e);
            StreamUnavailableException kept = new StreamUnavailableException(
                    unavailable.getMessage() + " (kept, pushed again once it answers)", e);
            group.forEach(queued -> queued.pushed().completeExceptionally(kept));
            return;
        }
        if (failed.entries().isEmpty()) {
            group.forEach(queued -> queued.pushed().complete(null));
            return;
        }
        keep(failed.entries());
        Set<Waiting> notPushed = Collections.newSetFromMap(new IdentityHashMap<>());
        notPushed.addAll(failed.entries());
        for (Queued queued : group) {
            long notPushedHere = queued.entries().stream().filter(notPushed::contains).count();
            if (notPushedHere == 0) {
                queued.pushed().complete(null);
            } else {
                queued.pushed().completeExceptionally(new StreamUnavailableException("Feedback stream " + endpoint
                        + " is unavailable: " + notPushedHere + " of " + queued.entries().size() + " entries were not "
                        + "pushed (kept, pushed again once it answers): " + failed.firstError().getMessage(),
                        failed.firstError()));
            }
        }
    }

    /**
     * Pushes {@code entries} in one pipeline; returns those whose LPUSH failed. A cluster's
     * pipeline reports a node it could not reach in that node's replies, or, when it can't connect
     * to it, by throwing for the whole batch: then each entry is pushed on its own, so that only
     * the unreachable node's entries fail.
     */
    private Failed pipelinePush(List<Waiting> entries) {
        List<Response<Long>> pushed = new ArrayList<>(entries.size());
        try (PipelineBase pipeline = redis.pipelined()) {
            for (Waiting entry : entries) {
                pushed.add(pipeline.lpush(entry.key(), entry.entry()));
                pipeline.expire(entry.key(), Math.max(1, entry.ttl().toSeconds()));
            }
            pipeline.sync();
        } catch (JedisException e) {
            if (endpoint.topology() instanceof RedisTopology.Cluster) {
                return pushOneByOne(entries);
            }
            throw e;
        }
        List<Waiting> failed = new ArrayList<>();
        RuntimeException firstError = null;
        for (int i = 0; i < entries.size(); i++) {
            try {
                pushed.get(i).get();
            } catch (RuntimeException e) { // the server's error reply, or no reply at all
                firstError = firstError == null ? e : firstError;
                failed.add(entries.get(i));
            }
        }
        return new Failed(failed, firstError);
    }

    private Failed pushOneByOne(List<Waiting> entries) {
        List<Waiting> failed = new ArrayList<>();
        RuntimeException firstError = null;
        for (Waiting entry : entries) {
            try {
                redis.lpush(entry.key(), entry.entry());
                redis.expire(entry.key(), Math.max(1, entry.ttl().toSeconds()));
            } catch (JedisException e) {
                firstError = firstError == null ? e : firstError;
                failed.add(entry);
            }
        }
        return new Failed(failed, firstError);
    }

    private void keep(List<Waiting> entries) {
        int dropped = 0;
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                keptAtNanos = System.nanoTime();
            }
            waiting.addAll(entries);
            while (waiting.size() > MAX_WAITING) {
                waiting.removeFirst();
                dropped++;
            }
        }
        if (dropped > 0) {
            log.warn("Dropped the {} oldest feedback entries waiting for {}: more than {} wait", dropped, endpoint, MAX_WAITING);
        }
    }

    /** Pushes the waiting entries, oldest first; those that fail again wait for the next round. */
    private void retryWaiting() {
        try {
            List<Waiting> due = new ArrayList<>();
            int expired = 0;
            synchronized (waiting) {
                long now = System.nanoTime();
                for (Waiting next; (next = waiting.pollFirst()) != null; ) {
                    if (now - next.deadlineNanos() > 0) {
                        expired++;
                    } else {
                        due.add(next);
                    }
                }
            }
            if (expired > 0) {
                log.warn("Gave up on {} feedback entries: their time to live passed while {} was unavailable",
                        expired, endpoint);
            }
            List<Waiting> failed = new ArrayList<>();
            for (int from = 0; from < due.size(); from += RETRY_BATCH) {
                if (from > 0 && failed.size() == from) {
                    failed.addAll(due.subList(from, due.size())); // every entry so far failed: Redis is down
                    break;
                }
                List<Waiting> batch = due.subList(from, Math.min(due.size(), from + RETRY_BATCH));
                try {
                    failed.addAll(pipelinePush(batch).entries());
                } catch (JedisException e) {
                    failed.addAll(batch);
                }
            }
            if (failed.size() < due.size()) {
                log.info("Pushed {} feedback entries that had waited for {}", due.size() - failed.size(), endpoint);
            }
            synchronized (waiting) {
                for (int i = failed.size() - 1; i >= 0; i--) {
                    waiting.addFirst(failed.get(i));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Retrying feedback entries for {} failed: {}", endpoint, e.toString());
        }
    }

    /** How many entries wait to be pushed again. */
    public int waitingEntries() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /**
     * Takes the oldest entry of {@code key}, waiting up to {@code timeout} but no longer than
     * {@link #MAX_POP_WAIT}; empty when none came.
     */
    public Optional<String> pop(String key, Duration timeout) {
        double seconds = Math.max(0.001, Math.min(timeout.toNanos(), MAX_POP_WAIT.toNanos()) / 1e9);
        try {
            KeyValue<String, String> popped = redis.brpop(seconds, key);
            return popped == null ? Optional.empty() : Optional.of(popped.getValue());
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /**
     * Takes the oldest entries of {@code key}, up to {@code max}, oldest first: waits for the first as
     * {@link #pop} does, and takes those already behind it in the same round trip (BRPOP and RPOP
     * with a count, pipelined), so a reader of a long stream of replies pays one round trip per
     * {@code max} of them. Empty when none came. On a Redis older than 6.2 (no count on RPOP) it
     * takes one at a time.
     */
    public List<String> popUpTo(String key, Duration timeout, int max) {
        // A cluster's pipeline follows no redirection and leaves the replies of a node it can't reach
        // unset: there a read fails better one entry at a time.
        if (max == 1 || !popCountSupported || endpoint.topology() instanceof RedisTopology.Cluster) {
            return pop(key, timeout).map(List::of).orElse(List.of());
        }
        // A pipeline reads with the connection's socket timeout, not the longer one of blocking commands.
        long waitNanos = Math.min(timeout.toNanos(), Math.min(MAX_POP_WAIT.toNanos(), connectTimeout.toNanos() / 2));
        Response<KeyValue<String, String>> first;
        Response<List<String>> behind;
        try (PipelineBase pipeline = redis.pipelined()) {
            first = pipeline.brpop(Math.max(0.001, waitNanos / 1e9), key);
            behind = pipeline.rpop(key, max - 1);
            pipeline.sync();
        } catch (JedisException e) {
            throw unavailable(e);
        }
        KeyValue<String, String> popped;
        try {
            popped = first.get();
        } catch (JedisException e) {
            throw unavailable(e);
        }
        if (popped == null) {
            return List.of();
        }
        List<String> entries = new ArrayList<>(max);
        entries.add(popped.getValue());
        try {
            List<String> more = behind.get();
            if (more != null) {
                entries.addAll(more);
            }
        } catch (JedisDataException e) {
            if (!String.valueOf(e.getMessage()).contains("wrong number of arguments")) {
                throw unavailable(e);
            }
            popCountSupported = false; // nothing was taken; the next pops take one each
            log.info("{} takes no count on RPOP (Redis before 6.2): replies are read one at a time", endpoint);
        } catch (JedisException e) {
            throw unavailable(e);
        }
        return entries;
    }

    /**
     * Puts {@code entries} (oldest first) back where {@link #popUpTo} took them, to be popped before
     * any entry still in the list, and sets the list's time to live.
     */
    public void pushBack(String key, List<String> entries, Duration ttl) {
        List<String> newestFirst = new ArrayList<>(entries);
        Collections.reverse(newestFirst);
        try {
            redis.rpush(key, newestFirst.toArray(String[]::new));
            redis.expire(key, Math.max(1, ttl.toSeconds()));
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

    /** Checks that Redis answers (on a cluster: the node of an arbitrary slot). */
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

    /**
     * Pushes what is queued, makes a last attempt at the waiting entries, saying how many could not
     * be pushed, and closes the connections.
     */
    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
            queue.notifyAll();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retryWaiting();
        int left = waitingEntries();
        if (left > 0) {
            log.warn("Closing with {} feedback entries not pushed: {} is unavailable", left, endpoint);
        }
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
