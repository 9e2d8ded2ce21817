package io.streamback.config;

import java.util.Optional;

/**
 * Where the feedback stream lives: one Redis server, optionally with TLS ({@code rediss://}),
 * credentials (a password, or an ACL user and password) and a database number.
 *
 * @param caFile the authorities TLS trusts; empty for the JVM's default ones (always empty without TLS)
 */
public record RedisEndpoint(
        HostPort server, boolean tls, Optional<Credentials> credentials, int database, Optional<CaFile> caFile) {
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://")
                + credentials.map(c -> c + "@").orElse("")
                + server
                + (database == 0 ? "" : "/" + database);
    }
}
