package io.streamback.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the testkit runs Kafka and Redis, chosen by the system property {@value #PROPERTY} or else the
 * environment variable {@value #VARIABLE}: {@code processes} (the default) or {@code containers}.
 */
public enum TestkitMode {

    /**
     * Kafka inside the test JVM and {@code redis-server} as a child process: no container engine
     * needed, fast to start, and every option of {@link KafkaBroker.Builder} and
     * {@link RedisServer.Builder} as well as stop and restart on the same port.
     */
    PROCESSES,

    /**
     * Kafka and Redis as containers of their official images (or the ones {@link ContainerImages}
     * names), started through Testcontainers on a Docker-compatible engine: the servers as they run
     * in production, outside the test JVM. Plain listeners only, and no stop or restart.
     */
    CONTAINERS;

    /** System property choosing the mode; it wins over {@value #VARIABLE}. */
    public static final String PROPERTY = "streamback.testkit.mode";
    /** Environment variable choosing the mode when {@value #PROPERTY} is not set. */
    public static final String VARIABLE = "STREAMBACK_TESTKIT_MODE";

    /** The mode this JVM is configured for: {@code processes} unless a setting names another one. */
    public static TestkitMode configured() {
        return Support.Setting.lookup(PROPERTY, VARIABLE)
                .map(setting -> parse(setting.value(), setting.source()))
                .orElse(PROCESSES);
    }

    /** The setting's value as written: {@code processes} or {@code containers}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TestkitMode parse(String value, String source) {
        return Arrays.stream(values())
                .filter(mode -> mode.settingValue().equals(value.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The " + source + " is '" + value
                        + "', but the testkit's mode must be one of " + Arrays.stream(values())
                        .map(TestkitMode::settingValue).collect(Collectors.joining(", "))));
    }

    /** The setting as a JVM option, {@code -Dstreamback.testkit.mode=...}, for messages telling what to set. */
    String asSystemProperty() {
        return "-D" + PROPERTY + "=" + settingValue();
    }
}
