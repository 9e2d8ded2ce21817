package io.streamback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.config.HostPort;
import io.streamback.config.RedisTopology;
import io.streamback.config.StreamsUrl;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class StreamsUrlResolverTest {
    private final StreambackProperties properties = new StreambackProperties();
    private final MockEnvironment environment = new MockEnvironment();

    @Test
    void theStreamsPropertyWins() {
        properties.setStreams("main=kafka://kafka:9092&feedback=redis://redis:6379");
        environment.setProperty("spring.kafka.bootstrap-servers", "elsewhere:9092");

        assertThat(StreamsUrlResolver.resolve(properties, environment))
                .isEqualTo("main=kafka://kafka:9092&feedback=redis://redis:6379");
    }

    @Test
    void kafkaAndRedisComeFromSpringsOwnSettings() {
        environment.setProperty("spring.kafka.bootstrap-servers", "kafka-1:9092,kafka-2:9092");
        environment.setProperty("spring.data.redis.host", "redis");
        environment.setProperty("spring.data.redis.port", "6380");
        environment.setProperty("spring.data.redis.username", "app");
        environment.setProperty("spring.data.redis.password", "p@ss word+1");
        environment.setProperty("spring.data.redis.database", "2");

        String url = StreamsUrlResolver.resolve(properties, environment);
        StreamsUrl parsed = StreamsUrl.parse(url);

        assertThat(parsed.main().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(parsed.feedback()).hasValueSatisfying(redis -> {
            assertThat(redis.topology()).isEqualTo(new RedisTopology.Single(new HostPort("redis", 6380)));
            assertThat(redis.database()).isEqualTo(2);
            assertThat(redis.tls()).isFalse();
            assertThat(redis.credentials()).hasValueSatisfying(credentials -> {
                assertThat(credentials.username()).contains("app");
                assertThat(credentials.password()).isEqualTo("p@ss word+1");
            });
        });
    }

    @Test
    void redisTlsAndTheTopicsPrefix() {
        environment.setProperty("spring.kafka.bootstrap-servers", "kafka:9092");
        environment.setProperty("spring.data.redis.host", "redis");
        environment.setProperty("spring.data.redis.ssl.enabled", "true");
        properties.setTopicsPrefix("staging");

        assertThat(StreamsUrlResolver.resolve(properties, environment))
                .isEqualTo("main=kafka://kafka:9092&feedback=rediss://redis:6379&topics_prefix=staging");
    }

    @Test
    void withoutRedisSettingsTheStreamsAreOneWay() {
        environment.setProperty("spring.kafka.bootstrap-servers", "kafka:9092");

        assertThat(StreamsUrlResolver.resolve(properties, environment)).isEqualTo("main=kafka://kafka:9092");
    }

    @Test
    void springsRedisUrlIsTakenAsItIs() {
        environment.setProperty("spring.kafka.bootstrap-servers", "kafka:9092");
        environment.setProperty("spring.data.redis.url", "redis://:secret@redis:6379/1");

        assertThat(StreamsUrlResolver.resolve(properties, environment))
                .isEqualTo("main=kafka://kafka:9092&feedback=redis://:secret@redis:6379/1");
    }

    @Test
    void noKafkaAnywhereNamesThePropertiesToSet() {
        assertThatThrownBy(() -> StreamsUrlResolver.resolve(properties, environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streamback.streams")
                .hasMessageContaining("spring.kafka.bootstrap-servers");
    }

    @Test
    void securedSpringKafkaSettingsAskForAStreamsUrl() {
        environment.setProperty("spring.kafka.bootstrap-servers", "kafka:9093");
        environment.setProperty("spring.kafka.security.protocol", "SASL_SSL");

        assertThatThrownBy(() -> StreamsUrlResolver.resolve(properties, environment))
                .hasMessageContaining("spring.kafka.security.protocol is SASL_SSL")
                .hasMessageContaining("streamback.streams");
    }

    @Test
    void twoTopicsPrefixesAreRefused() {
        properties.setStreams("main=kafka://kafka:9092&topics_prefix=a");
        properties.setTopicsPrefix("b");

        assertThatThrownBy(() -> StreamsUrlResolver.resolve(properties, environment))
                .hasMessageContaining("streamback.topics-prefix");
    }
}
