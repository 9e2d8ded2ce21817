package io.streamback.internal.kafka;

import io.streamback.config.Credentials;
import io.streamback.config.KafkaEndpoint;
import io.streamback.config.SaslMechanism;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client settings for one Streamback: the endpoint's servers, security protocol, SASL and
 * TLS trust, our defaults, then the user's overrides.
 */
public final class KafkaClients {
    /** Bounds the security probe, so that an unreachable broker delays the first use little. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private final KafkaEndpoint endpoint;
    private final Duration connectTimeout;
    private final Map<String, String> overrides;
    /** The probe's answer once asked; null before. */
    private volatile Optional<String> missingSecurity;

    public KafkaClients(KafkaEndpoint endpoint, Duration connectTimeout, Map<String, String> overrides) {
        this.endpoint = endpoint;
        this.connectTimeout = connectTimeout;
        this.overrides = Map.copyOf(overrides);
    }

    public KafkaEndpoint endpoint() {
        return endpoint;
    }

    public Properties producer(String clientId) {
        Properties props = common(clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // An RPC waits on this record: send it at once rather than batching for 5 ms.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(connectTimeout.toMillis()));
        return withOverrides(props);
    }

    public Properties consumer(String clientId, String groupId) {
        Properties props = common(clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return withOverrides(props);
    }

    /** For a consumer that joins no group and reads only metadata ({@link TopicMetadata}). */
    public Properties metadataConsumer(String clientId) {
        Properties props = common(clientId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return withOverrides(props);
    }

    public Properties admin(String clientId) {
        return withOverrides(common(clientId));
    }

    private Properties common(String clientId) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, endpoint.bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(connectTimeout.toMillis()));
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(connectTimeout.toMillis()));
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, endpoint.securityProtocol());
        endpoint.sasl().ifPresent(credentials -> sasl(props, endpoint.saslMechanism(), credentials));
        // Kafka reads PEM trust itself; it verifies the broker's host name by default.
        endpoint.caFile().ifPresent(caFile -> {
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caFile.path().toString());
        });
        return props;
    }

    /**
     * What the streams URL lacks to talk to the listener, asked once and remembered: credentials for
     * a SASL listener, or TLS for a TLS one. Kafka's client, missing either, sees only closed
     * connections until its timeout; this names the cause within a round trip. Empty when nothing is
     * missing or no server could tell (a failed login or TLS handshake Kafka's client names itself).
     */
    public Optional<String> missingSecurity() {
        Optional<String> known = missingSecurity;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (missingSecurity == null) {
                // With both, or with security set by Builder.kafkaProperty (OAUTHBEARER, client certificates), there
                // is nothing the URL could lack.
                boolean securityOverridden = overrides.keySet().stream().anyMatch(name ->
                        name.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || name.startsWith("sasl.")
                                || name.startsWith("ssl."));
                missingSecurity = (endpoint.tls() && endpoint.sasl().isPresent()) || securityOverridden
                        ? Optional.empty()
                        : ListenerProbe.missingSecurity(endpoint, PROBE_TIMEOUT.compareTo(connectTimeout) < 0
                                ? PROBE_TIMEOUT : connectTimeout);
            }
            return missingSecurity;
        }
    }

    /**
     * What went wrong, for an error message: Kafka's own text, and for a failed SASL login or TLS
     * handshake also the user, the security protocol and the mechanism (never the password).
     */
    public String describe(Throwable error) {
        if (error instanceof SaslAuthenticationException) {
            return "SASL authentication failed for user '" + endpoint.sasl().flatMap(Credentials::username).orElse("")
                    + "' with " + endpoint.saslMechanism() + " over " + endpoint.securityProtocol() + ": "
                    + error.getMessage();
        }
        if (error instanceof SslAuthenticationException) {
            return "TLS handshake failed over " + endpoint.securityProtocol()
                    + endpoint.caFile().map(ca -> " trusting ca_file " + ca).orElse(" trusting the JVM's default CAs")
                    + ": " + rootCause(error).getMessage();
        }
        if (error instanceof AuthenticationException) {
            return "authentication failed over " + endpoint.securityProtocol() + ": " + error.getMessage();
        }
        return error.getMessage();
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void sasl(Properties props, SaslMechanism mechanism, Credentials credentials) {
        props.put(SaslConfigs.SASL_MECHANISM, mechanism.kafkaName());
        props.put(SaslConfigs.SASL_JAAS_CONFIG, mechanism.loginModule() + " required"
                + " username=\"" + jaasEscape(credentials.username().orElse("")) + "\""
                + " password=\"" + jaasEscape(credentials.password()) + "\";");
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private Properties withOverrides(Properties props) {
        props.putAll(overrides);
        return props;
    }
}
