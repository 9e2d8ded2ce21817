package io.streamback.config;

import java.util.Optional;

/** Where the feedback stream lives: one Redis server, optionally with TLS, credentials and a database number. */
public record RedisEndpoint(HostPort server, boolean tls, Optional<Credentials> credentials, int database) {
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://")
                + credentials.map(c -> c + "@").orElse("")
                + server
                + (database == 0 ? "" : "/" + database);
    }
}
