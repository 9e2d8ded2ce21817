package io.streamback.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The SASL mechanisms Streamback speaks to Kafka; the streams URL's {@code sasl_mechanism=} picks one (PLAIN by default). */
public enum SaslMechanism {
    PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
    SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
    SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

    private final String kafkaName;
    private final String loginModule;

    SaslMechanism(String kafkaName, String loginModule) {
        this.kafkaName = kafkaName;
        this.loginModule = loginModule;
    }

    /** The name in Kafka's {@code sasl.mechanism}, e.g. {@code SCRAM-SHA-512}. */
    public String kafkaName() {
        return kafkaName;
    }

    /** The JAAS login module of Kafka's client for this mechanism. */
    public String loginModule() {
        return loginModule;
    }

    /** The mechanism named {@code name} as Kafka writes it (case-insensitive). */
    public static Optional<SaslMechanism> named(String name) {
        return Arrays.stream(values()).filter(m -> m.kafkaName.equalsIgnoreCase(name)).findFirst();
    }

    /** Every mechanism's name, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(SaslMechanism::kafkaName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return kafkaName;
    }
}
