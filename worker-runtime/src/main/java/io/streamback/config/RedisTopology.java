package io.streamback.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the feedback stream's Redis is laid out: one server ({@code redis://}), a primary found
 * through Sentinel ({@code redis-sentinel://}), or a Redis Cluster ({@code redis-cluster://}).
 * The Python library reads only the first.
 */
public sealed interface RedisTopology {

    /** The scheme without TLS: {@code redis}, {@code redis-sentinel} or {@code redis-cluster}. */
    String scheme();

    /** The servers as the URL lists them, and for Sentinel the master's name. */
    String address();

    /** One Redis server. */
    record Single(HostPort server) implements RedisTopology {
        @Override
        public String scheme() {
            return "redis";
        }

        @Override
        public String address() {
            return server.toString();
        }
    }

    /**
     * A primary (with replicas) that the sentinels name and fail over.
     *
     * @param credentials for the sentinels themselves; the endpoint's credentials are the data nodes'
     */
    record Sentinel(List<HostPort> sentinels, String masterName, Optional<Credentials> credentials)
            implements RedisTopology {
        public Sentinel {
            sentinels = List.copyOf(sentinels);
        }

        @Override
        public String scheme() {
            return "redis-sentinel";
        }

        @Override
        public String address() {
            return credentials.map(c -> c + "@").orElse("") + join(sentinels) + "/" + masterName;
        }
    }

    /** A Redis Cluster, reached through any of these nodes (the client learns the others from them). */
    record Cluster(List<HostPort> nodes) implements RedisTopology {
        public Cluster {
            nodes = List.copyOf(nodes);
        }

        @Override
        public String scheme() {
            return "redis-cluster";
        }

        @Override
        public String address() {
            return join(nodes);
        }
    }

    private static String join(List<HostPort> servers) {
        return servers.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }
}
