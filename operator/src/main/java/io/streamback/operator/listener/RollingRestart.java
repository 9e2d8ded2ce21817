package io.streamback.operator.listener;

import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The operator's half of {@code autoRestart.maxSeconds}: every {@code maxSeconds} it stamps a new
 * time into {@code status.lastRestartTime}; the Deployment's pod template carries that time as an
 * annotation, so each new stamp rolls the pods a few at a time, like {@code kubectl rollout restart}.
 */
final class RollingRestart {

    private RollingRestart() {
    }

    /**
     * Stamps a restart into the status if one is due (or the first one, when autoRestart was just
     * turned on).
     *
     * @return how long until the next restart is due; empty when the listener has no maxSeconds
     */
    static Optional<Duration> apply(StreambackListener listener, Instant now) {
        StreambackListenerStatus status = listener.getStatus();
        Long maxSeconds = listener.getSpec().getAutoRestart() == null
                ? null : listener.getSpec().getAutoRestart().getMaxSeconds();
        if (maxSeconds == null) {
            status.setLastRestartTime(null);
            return Optional.empty();
        }
        Instant last = status.getLastRestartTime() == null ? null : Instant.parse(status.getLastRestartTime());
        if (last == null || !now.isBefore(last.plusSeconds(maxSeconds))) {
            last = now.truncatedTo(ChronoUnit.SECONDS);
            status.setLastRestartTime(last.toString());
        }
        return Optional.of(Duration.between(now, last.plusSeconds(maxSeconds)));
    }
}
