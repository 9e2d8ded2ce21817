package io.streamback.testkit;

import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The images of the {@linkplain TestkitMode#CONTAINERS container mode}: the official ones by default,
 * or any image that behaves like them, named by a system property or else an environment variable.
 * A Kafka image must work like {@code apache/kafka}: configured from {@code KAFKA_*} variables by its
 * {@code /etc/kafka/docker/run}.
 */
public final class ContainerImages {

    /** System property naming the Kafka image, e.g. {@code localhost/streamback-base/kafka:4.1.2}. */
    public static final String KAFKA_PROPERTY = "streamback.testkit.kafkaImage";
    /** Environment variable naming the Kafka image when {@value #KAFKA_PROPERTY} is not set. */
    public static final String KAFKA_VARIABLE = "STREAMBACK_TESTKIT_KAFKA_IMAGE";
    /** System property naming the Redis image, e.g. {@code localhost/streamback-base/redis:7}. */
    public static final String REDIS_PROPERTY = "streamback.testkit.redisImage";
    /** Environment variable naming the Redis image when {@value #REDIS_PROPERTY} is not set. */
    public static final String REDIS_VARIABLE = "STREAMBACK_TESTKIT_REDIS_IMAGE";
    /** The Redis image used unless one is configured. */
    public static final String DEFAULT_REDIS = "redis:7";

    private ContainerImages() {
    }

    /** The Kafka image to run: the configured one, else {@code apache/kafka} of the Kafka version on the classpath. */
    public static String kafka() {
        return Support.Setting.lookup(KAFKA_PROPERTY, KAFKA_VARIABLE).map(Support.Setting::value)
                .orElseGet(ContainerImages::defaultKafka);
    }

    /** The Redis image to run: the configured one, else {@value #DEFAULT_REDIS}. */
    public static String redis() {
        return Support.Setting.lookup(REDIS_PROPERTY, REDIS_VARIABLE).map(Support.Setting::value)
                .orElse(DEFAULT_REDIS);
    }

    /** {@code apache/kafka} of the same version as the Kafka client the tests use, so broker and client agree. */
    public static String defaultKafka() {
        return "apache/kafka:" + AppInfoParser.getVersion();
    }
}
