package io.streamback.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the main stream lives: Kafka bootstrap servers, whether to speak TLS ({@code kafkas://}),
 * and, when the URL carries them, SASL credentials with their mechanism (PLAIN unless
 * {@code sasl_mechanism=} says otherwise). Without TLS and credentials it is PLAINTEXT; with
 * credentials alone SASL_PLAINTEXT, as in the Python library.
 *
 * @param caFile the authorities TLS trusts; empty for the JVM's default ones (always empty without TLS)
 */
public record KafkaEndpoint(
        List<HostPort> servers,
        boolean tls,
        Optional<Credentials> sasl,
        SaslMechanism saslMechanism,
        Optional<CaFile> caFile) {

    public KafkaEndpoint {
        servers = List.copyOf(servers);
    }

    /** The {@code bootstrap.servers} value. */
    public String bootstrapServers() {
        return servers.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }

    /** Kafka's {@code security.protocol}: PLAINTEXT, SASL_PLAINTEXT, SSL or SASL_SSL. */
    public String securityProtocol() {
        if (tls) {
            return sasl.isPresent() ? "SASL_SSL" : "SSL";
        }
        return sasl.isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT";
    }

    /** The URL form, password masked; {@code sasl_mechanism} and {@code ca_file} are settings of the whole streams URL. */
    @Override
    public String toString() {
        return (tls ? "kafkas://" : "kafka://") + sasl.map(c -> c + "@").orElse("") + bootstrapServers();
    }
}
