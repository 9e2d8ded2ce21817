package io.streamback.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Sentinel-managed Redis on loopback ports: a primary, a replica and three sentinels (quorum 2),
 * every one a {@code redis-server} process ({@code --sentinel} makes the same binary a sentinel),
 * for failover tests. The sentinels call a primary down after 1 s without an answer, so a
 * {@linkplain RedisServer#kill() killed} primary is replaced within a few seconds. The data
 * servers and the sentinels may each demand a password of their own ({@link Builder}); without TLS,
 * processes mode only.
 */
public final class RedisSentinels implements AutoCloseable {
    /** The name the sentinels know the primary by: the {@code MASTER_NAME} of the URL. */
    public static final String MASTER_NAME = "streamback";
    private static final int QUORUM = 2;
    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> dataServers = new ArrayList<>();
    private final List<RedisServer> sentinels = new ArrayList<>();
    private final Optional<String> password;
    private final Optional<String> sentinelPassword;

    private RedisSentinels(Builder builder) {
        this.password = builder.password;
        this.sentinelPassword = builder.sentinelPassword;
    }

    /** Starts the primary, its replica and the sentinels, without passwords. */
    public static RedisSentinels start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code redis-sentinel://127.0.0.1:PORT,127.0.0.1:PORT,127.0.0.1:PORT/streamback}, with
     * {@code :PASSWORD@} for the data servers and {@code :SENTINEL_PASSWORD@} for the sentinels
     * when they demand them. With a password it holds one: don't log it.
     */
    public String url() {
        String credentials = password.map(p -> ":" + Support.urlEncode(p) + "@").orElse(sentinelPassword.isPresent() ? "@" : "")
                + sentinelPassword.map(p -> ":" + Support.urlEncode(p) + "@").orElse("");
        return "redis-sentinel://" + credentials
                + sentinels.stream().map(s -> s.host() + ":" + s.port()).collect(Collectors.joining(","))
                + "/" + MASTER_NAME;
    }

    /** The primary and the replica, in the order they were started (roles change with failovers: see {@link #primary()}). */
    public List<RedisServer> dataServers() {
        return List.copyOf(dataServers);
    }

    /** The three sentinels. */
    public List<RedisServer> sentinels() {
        return List.copyOf(sentinels);
    }

    /** The data server a running sentinel names as the primary now. */
    public RedisServer primary() {
        for (RedisServer sentinel : sentinels) {
            if (!sentinel.isRunning()) {
                continue;
            }
            int port = primaryPortNamedBy(sentinel);
            return dataServers.stream().filter(server -> server.port() == port).findFirst()
                    .orElseThrow(() -> new IllegalStateException("The sentinels name an unknown primary on port " + port));
        }
        throw new IllegalStateException("No sentinel is running");
    }

    private int primaryPortNamedBy(RedisServer sentinel) {
        List<?> address = (List<?>) Resp.call(sentinel.port(), sentinelPassword, "SENTINEL", "get-master-addr-by-name",
                MASTER_NAME);
        return Integer.parseInt((String) address.get(1));
    }

    /**
     * Waits until every running sentinel names the same primary, another server than {@code old},
     * and it serves as primary; returns it. Every sentinel, because a client asks whichever answers
     * first, and a sentinel that has not heard of the failover yet still names the dead server.
     */
    public RedisServer awaitFailoverFrom(RedisServer old, Duration timeout) {
        RedisServer[] promoted = new RedisServer[1];
        Support.await("every sentinel naming a primary other than port " + old.port(), timeout, () -> {
            List<Integer> named = sentinels.stream().filter(RedisServer::isRunning)
                    .map(this::primaryPortNamedBy).distinct().toList();
            if (named.size() != 1 || named.get(0) == old.port()) {
                return false;
            }
            promoted[0] = primary();
            return info(promoted[0].port(), password, "replication").contains("role:master");
        });
        return promoted[0];
    }

    /** Passwords of a {@link RedisSentinels}: the data servers' ({@code requirepass}) and the sentinels' own. */
    public static final class Builder {
        private Optional<String> password = Optional.empty();
        private Optional<String> sentinelPassword = Optional.empty();

        private Builder() {
        }

        /** The data servers' password: clients give it as {@code redis-sentinel://:PASSWORD@...}. */
        public Builder password(String password) {
            this.password = Optional.of(password);
            return this;
        }

        /** The sentinels' password: clients give it after the data servers', {@code redis-sentinel://[:PASSWORD]@:SENTINEL_PASSWORD@...}. */
        public Builder sentinelPassword(String password) {
            this.sentinelPassword = Optional.of(password);
            return this;
        }

        /** Starts the primary, its replica and the sentinels; returns once every sentinel knows the replica and the other two. */
        public RedisSentinels start() {
            RedisSentinels setup = new RedisSentinels(this);
            try {
                RedisServer primary = dataServer().start();
                setup.dataServers.add(primary);
                RedisServer replica = dataServer()
                        .argument("--replicaof", primary.host(), String.valueOf(primary.port())).start();
                setup.dataServers.add(replica);
                Support.await("the replica on port " + replica.port() + " to sync with the primary", READY_TIMEOUT,
                        () -> info(replica.port(), password, "replication").contains("master_link_status:up"));
                for (int i = 0; i < 3; i++) {
                    RedisServer.Builder sentinel = RedisServer.builder()
                            .config("sentinel monitor " + MASTER_NAME + " " + primary.host() + " " + primary.port() + " " + QUORUM)
                            .config("sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis())
                            .config("sentinel failover-timeout " + MASTER_NAME + " 5000")
                            .argument("--sentinel");
                    password.ifPresent(p -> sentinel.config("sentinel auth-pass " + MASTER_NAME + " " + quote(p)));
                    sentinelPassword.ifPresent(p -> sentinel.password(p).config("sentinel sentinel-pass " + quote(p)));
                    setup.sentinels.add(sentinel.start());
                }
                for (RedisServer sentinel : setup.sentinels) {
                    Support.await("the sentinel on port " + sentinel.port() + " to know the replica and the other sentinels",
                            READY_TIMEOUT, () ->
                            ((List<?>) Resp.call(sentinel.port(), sentinelPassword, "SENTINEL", "replicas", MASTER_NAME)).size() == 1
                                    && ((List<?>) Resp.call(sentinel.port(), sentinelPassword, "SENTINEL", "sentinels",
                                            MASTER_NAME)).size() == 2);
                }
                return setup;
            } catch (RuntimeException e) {
                setup.close();
                throw e;
            }
        }

        /** A data server: the password, and the same one to authenticate to the primary as a replica. */
        private RedisServer.Builder dataServer() {
            RedisServer.Builder server = RedisServer.builder();
            password.ifPresent(p -> server.password(p).config("masterauth " + quote(p)));
            return server;
        }

        private static String quote(String value) {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    @Override
    public void close() {
        for (RedisServer server : sentinels) {
            server.close();
        }
        for (RedisServer server : dataServers) {
            server.close();
        }
    }

    private static String info(int port, Optional<String> password, String section) {
        return Optional.ofNullable((String) Resp.call(port, password, "INFO", section)).orElse("");
    }
}
