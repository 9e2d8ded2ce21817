package io.streamback.operator.listener;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerStatus;
import io.streamback.operator.dependent.ListenerDeploymentDependent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operator's half of {@code autoRestart.maxSeconds}: every {@code maxSeconds} it stamps a new
 * time into {@code status.lastRestartTime}; the Deployment's pod template carries that time as an
 * annotation, so each new stamp rolls the pods a few at a time, like {@code kubectl rollout restart}.
 *
 * <p>The last restart is read from what is stored: the later of the listener's status and the
 * annotation on the Deployment. A reconciliation that wrote the Deployment and then failed to
 * write the status has left its stamp on the Deployment, so the retry finds it and does not stamp
 * (and roll) again.
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
    static Optional<Duration> apply(StreambackListener listener, Optional<Deployment> deployment, Instant now) {
        StreambackListenerStatus status = listener.getStatus();
        Long maxSeconds = listener.getSpec().getAutoRestart() == null
                ? null : listener.getSpec().getAutoRestart().getMaxSeconds();
        if (maxSeconds == null) {
            status.setLastRestartTime(null);
            return Optional.empty();
        }
        Instant last = Stream.concat(Stream.ofNullable(status.getLastRestartTime()),
                        deployment.flatMap(RollingRestart::stamped).stream())
                .map(Instant::parse)
                .max(Comparator.naturalOrder())
                .orElse(null);
        if (last == null || !now.isBefore(last.plusSeconds(maxSeconds))) {
            last = now.truncatedTo(ChronoUnit.SECONDS);
        }
        status.setLastRestartTime(last.toString());
        return Optional.of(Duration.between(now, last.plusSeconds(maxSeconds)));
    }

    private static Optional<String> stamped(Deployment deployment) {
        return Optional.ofNullable(deployment.getSpec().getTemplate().getMetadata())
                .map(ObjectMeta::getAnnotations)
                .map(annotations -> annotations.get(ListenerDeploymentDependent.RESTARTED_AT));
    }
}
