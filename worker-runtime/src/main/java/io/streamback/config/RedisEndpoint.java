package io.streamback.config;

import java.util.Optional;

/**
 * Where the feedback stream lives: one Redis server, a Sentinel-managed primary or a Redis
 * Cluster ({@link RedisTopology}), optionally with TLS, credentials (a password, or an ACL user and
 * password) and a database number (always 0 on a cluster).
 *
 * @param credentials for the servers that hold the data; Sentinel's own are in {@link RedisTopology.Sentinel}
 * @param caFile      the authorities TLS trusts; empty for the JVM's default ones (always empty without TLS)
 */
public record RedisEndpoint(
        RedisTopology topology, boolean tls, Optional<Credentials> credentials, int database, Optional<CaFile> caFile) {

    /** Whether the URL carries any password, the data nodes' or the sentinels'. */
    public boolean hasCredentials() {
        return credentials.isPresent()
                || topology instanceof RedisTopology.Sentinel sentinel && sentinel.credentials().isPresent();
    }

    @Override
    public String toString() {
        String scheme = topology.scheme().replaceFirst("^redis", tls ? "rediss" : "redis");
        String dataCredentials = credentials.map(c -> c + "@")
                .orElse(topology instanceof RedisTopology.Sentinel s && s.credentials().isPresent() ? "@" : "");
        return scheme + "://" + dataCredentials + topology.address() + (database == 0 ? "" : "/" + database);
    }
}
