package io.streamback.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the main stream lives: Kafka bootstrap servers and, when the URL carries them,
 * SASL/PLAIN credentials (SASL_PLAINTEXT, as the Python library does).
 */
public record KafkaEndpoint(List<HostPort> servers, Optional<Credentials> sasl) {
    public KafkaEndpoint {
        servers = List.copyOf(servers);
    }

    /** The {@code bootstrap.servers} value. */
    public String bootstrapServers() {
        return servers.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return "kafka://" + sasl.map(c -> c + "@").orElse("") + bootstrapServers();
    }
}
