package io.streamback.spring.boot.actuate;

import io.streamback.Streamback;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * UP when the {@link Streamback} can work: started, every consumer worker polling, every listener
 * topic existing, Kafka and Redis answering. Otherwise DOWN with the reason, e.g.
 * {@code listener topics do not exist: orders}.
 */
public class StreambackHealthIndicator implements HealthIndicator {
    private final Streamback streamback;

    public StreambackHealthIndicator(Streamback streamback) {
        this.streamback = streamback;
    }

    @Override
    public Health health() {
        Health.Builder health = streamback.notReadyBecause()
                .map(reason -> Health.down().withDetail("reason", reason))
                .orElseGet(Health::up);
        return health.withDetail("application", streamback.name()).build();
    }
}
