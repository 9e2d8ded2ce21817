package io.streamback.operator.listener;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import io.streamback.config.InvalidStreamsUrlException;
import io.streamback.config.StreamsUrl;
import io.streamback.operator.autoscaling.AutoscalingPolicy;
import io.streamback.operator.autoscaling.LagReader;
import io.streamback.operator.autoscaling.LagReading;
import io.streamback.operator.autoscaling.LagUnavailableException;
import io.streamback.operator.common.StreamsSecrets;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreamsSecretRef;
import io.streamback.operator.dependent.ListenerDeploymentDependent;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the lag of every autoscaled listener off the reconciliation threads: a polling event
 * source of the operator SDK, one task per listener with {@code autoscaling}, every
 * {@code pollIntervalSeconds}, on a pool of its own. A new reading reconciles the listener; a
 * Kafka that does not answer holds up only the readings behind it on its thread, never a
 * reconciliation.
 */
public final class LagPolling implements AutoCloseable {

    static final String NAME = "lag";
    private static final int THREADS = 4;
    /** The wait before a listener's first reading; its pollIntervalSeconds decides the next ones. */
    private static final Duration FIRST_READING = Duration.ofSeconds(1);

    private final LagReader lagReader;
    private final ScheduledExecutorService pool;
    private volatile PerResourcePollingEventSource<LagSample, StreambackListener, String> readings;

    /** @param lagReader closed by its owner, after this; the operator SDK stops the pool with the event source */
    public LagPolling(LagReader lagReader) {
        this.lagReader = lagReader;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newScheduledThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "streamback-lag-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * What one reading found: the lag, or why it could not be read (a message without credentials).
     *
     * @param group the consumer group read
     */
    record LagSample(String group, Optional<LagReading> reading, Optional<String> unavailable) {
    }

    PerResourcePollingEventSource<LagSample, StreambackListener, String> eventSource(
            EventSourceContext<StreambackListener> context, InformerEventSource<Secret, StreambackListener> secrets) {
        PerResourcePollingEventSource.ResourceFetcher<LagSample, StreambackListener> fetcher = new PerResourcePollingEventSource.ResourceFetcher<>() {
            @Override
            public Set<LagSample> fetchResources(StreambackListener listener) {
                return Set.of(read(listener, secrets));
            }

            @Override
            public Optional<Duration> fetchDelay(Set<LagSample> last, StreambackListener listener) {
                if (last == null || last.isEmpty()) {
                    return Optional.of(FIRST_READING);
                }
                return Optional.ofNullable(listener.getSpec().getAutoscaling())
                        .map(autoscaling -> AutoscalingPolicy.of(autoscaling).pollInterval());
            }
        };
        readings = new PerResourcePollingEventSource<>(LagSample.class, context,
                new PerResourcePollingConfigurationBuilder<LagSample, StreambackListener, String>(fetcher, FIRST_READING)
                        .withName(NAME)
                        // One reading per listener.
                        .withResourceIDMapper(ResourceIDMapper.singleResourceResourceIDMapper())
                        .withExecutorService(pool)
                        .withRegisterPredicate(listener -> listener.getSpec() != null
                                && listener.getSpec().getAutoscaling() != null)
                        .build());
        return readings;
    }

    /**
     * The last reading of {@code listener}'s lag; empty until the first one is done. (Asking the
     * event source for its secondary resource instead would read the lag there and then, on the
     * reconciliation's thread, when there is no reading yet.)
     */
    Optional<LagSample> lastReading(StreambackListener listener) {
        return Optional.ofNullable(readings)
                .map(source -> source.getCache().get(ResourceID.fromResource(listener)))
                .flatMap(byId -> byId.values().stream().findFirst());
    }

    private LagSample read(StreambackListener listener, InformerEventSource<Secret, StreambackListener> secrets) {
        String group = ListenerDeploymentDependent.group(listener);
        StreamsSecretRef ref = listener.getSpec().getStreamsSecretRef();
        Optional<Secret> secret = ref == null ? Optional.empty()
                : secrets.get(new ResourceID(ref.getName(), listener.getMetadata().getNamespace()));
        Optional<String> url = ref == null ? Optional.ofNullable(listener.getSpec().getStreams())
                : secret.flatMap(s -> StreamsSecrets.value(s, ref));
        if (url.isEmpty()) {
            return new LagSample(group, Optional.empty(), Optional.of("no streams URL (see the Secret's condition)"));
        }
        try {
            StreamsUrl streams = StreamsUrl.parse(url.get());
            group = streams.group().orElse(group);
            Optional<String> caPem = secret.flatMap(s -> StreamsSecrets.caCertificates(s, ref));
            return new LagSample(group, Optional.of(lagReader.read(streams, caPem, group,
                    listener.getSpec().getTopics())), Optional.empty());
        } catch (InvalidStreamsUrlException | LagUnavailableException e) {
            // The message of both names no password: StreamsUrl masks it, LagReader never includes it.
            return new LagSample(group, Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
