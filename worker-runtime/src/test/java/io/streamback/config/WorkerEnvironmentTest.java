package io.streamback.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerEnvironmentTest {
    private static final String STREAMS = "main=kafka://kafka:9092&feedback=redis://redis:6379";

    @Test
    void defaultsWhenOnlyTheStreamsUrlIsSet() {
        WorkerEnvironment env = WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS));

        assertThat(env).isEqualTo(new WorkerEnvironment(STREAMS, Optional.empty(), Optional.empty(), Optional.empty(),
                8080, Duration.ofSeconds(30), Optional.empty(), 0, Optional.of("{topic}.dlt")));
    }

    @Test
    void readsEveryVariable() {
        WorkerEnvironment env = WorkerEnvironment.from(Map.of(
                "STREAMBACK_STREAMS", STREAMS,
                "STREAMBACK_NAME", "billing",
                "STREAMBACK_APP", "com.example.BillingApp",
                "STREAMBACK_TOPICS", " invoices, refunds ,",
                "STREAMBACK_HTTP_PORT", "9090",
                "STREAMBACK_SHUTDOWN_TIMEOUT_SECONDS", "45",
                "STREAMBACK_MAX_SECONDS", "3600",
                "STREAMBACK_MAX_MEMORY_MB", "512",
                "STREAMBACK_DEAD_LETTER_TOPIC", "dead.{topic}"));

        assertThat(env.name()).contains("billing");
        assertThat(env.appClass()).contains("com.example.BillingApp");
        assertThat(env.topics()).contains(Set.of("invoices", "refunds"));
        assertThat(env.httpPort()).isEqualTo(9090);
        assertThat(env.shutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(env.maxAge()).contains(Duration.ofHours(1));
        assertThat(env.maxMemoryMb()).isEqualTo(512);
        assertThat(env.deadLetterTopic()).contains("dead.{topic}");
        assertThat(WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_DEAD_LETTER_TOPIC", "off"))
                .deadLetterTopic()).isEmpty();
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("STREAMBACK_STREAMS is not set");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_HTTP_PORT", "web")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("STREAMBACK_HTTP_PORT='web' is not a whole number");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_HTTP_PORT", "70000")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("STREAMBACK_HTTP_PORT=70000 is out of range 0-65535");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS, "STREAMBACK_TOPICS", " , ")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("STREAMBACK_TOPICS");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", STREAMS,
                "STREAMBACK_DEAD_LETTER_TOPIC", "bad topic")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("STREAMBACK_DEAD_LETTER_TOPIC='bad topic'");
        assertThatThrownBy(() -> WorkerEnvironment.from(Map.of("STREAMBACK_STREAMS", "main=http://x:1")))
                .isInstanceOf(InvalidStreamsUrlException.class).hasMessageContaining("unknown scheme 'http'");
    }
}
