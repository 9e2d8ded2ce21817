package io.streamback.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.streamback.operator.autoscaling.LagReader;
import io.streamback.operator.common.StatusReporter;
import io.streamback.operator.dependent.WorkerDefaults;
import io.streamback.operator.listener.LagPolling;
import io.streamback.operator.listener.StreambackListenerReconciler;
import io.streamback.operator.schedule.StreambackScheduleReconciler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streamback operator process: both reconcilers under the Java Operator SDK, the health and
 * metrics endpoints, and a graceful stop.
 *
 * <p>Dependents and status are written with server-side apply (the operator SDK's default), as
 * the field manager {@value #FIELD_MANAGER}: the operator owns the fields it sets and nothing
 * else, so a field another manager adds (an env var a mutating webhook injects, say) stays, and a
 * hand edit of a field the operator sets is put back at the next reconciliation.
 */
public final class StreambackOperator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreambackOperator.class);

    /** The field manager of everything the operator applies (managedFields, kubectl's --show-managed-fields). */
    public static final String FIELD_MANAGER = "streamback-operator";

    private final Operator operator;
    private final OperatorMetrics metrics;
    private final OperatorHttpServer http;
    private final AtomicBoolean stopping;
    private final LagReader lagReader;
    private final LagPolling lagPolling;

    private StreambackOperator(Operator operator, OperatorMetrics metrics, OperatorHttpServer http,
                               AtomicBoolean stopping, LagReader lagReader, LagPolling lagPolling) {
        this.operator = operator;
        this.metrics = metrics;
        this.http = http;
        this.stopping = stopping;
        this.lagReader = lagReader;
        this.lagPolling = lagPolling;
    }

    public static void main(String[] args) {
        OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
        KubernetesClient client = new KubernetesClientBuilder().build();
        StreambackOperator running = start(client, config, Clock.systemUTC(), true);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "streamback-operator-shutdown"));
        log.info("Streamback operator running: namespaces {}, default worker image {}, leader election {}, "
                        + "health and metrics on port {}",
                config.namespaces().isEmpty() ? "all" : config.namespaces(),
                config.workerImage().orElse("(none)"), config.leaderElection(), running.httpPort());
    }

    /**
     * Starts the operator on {@code client}.
     *
     * @param closeClient whether stopping the operator closes the client
     */
    public static StreambackOperator start(KubernetesClient client, OperatorConfig config, Clock clock,
                                           boolean closeClient) {
        OperatorMetrics metrics = new OperatorMetrics();
        AtomicBoolean stopping = new AtomicBoolean();
        Operator operator = new Operator(o -> configure(o, client, config, metrics, closeClient, stopping));

        WorkerDefaults defaults = new WorkerDefaults(config.workerImage().orElse(null));
        StatusReporter reporter = new StatusReporter(clock);
        LagReader lagReader = new LagReader(LagReader.DEFAULT_TIMEOUT);
        LagPolling lagPolling = new LagPolling(lagReader);
        operator.register(new StreambackListenerReconciler(defaults, reporter, lagPolling), c -> watch(c, config));
        operator.register(new StreambackScheduleReconciler(defaults, reporter), c -> watch(c, config));

        OperatorHttpServer http;
        try {
            http = new OperatorHttpServer(config.httpAddress(), config.httpPort(), operator, metrics);
        } catch (IOException e) {
            lagPolling.close();
            lagReader.close();
            throw new UncheckedIOException("cannot listen on port " + config.httpPort(), e);
        }
        try {
            operator.start();
        } catch (RuntimeException e) {
            http.close();
            lagPolling.close();
            lagReader.close();
            throw e;
        }
        return new StreambackOperator(operator, metrics, http, stopping, lagReader, lagPolling);
    }

    private static void configure(ConfigurationServiceOverrider o, KubernetesClient client, OperatorConfig config,
                                  OperatorMetrics metrics, boolean closeClient, AtomicBoolean stopping) {
        o.withKubernetesClient(client)
                .withCloseClientOnStop(closeClient)
                .withSSABasedCreateUpdateMatchForDependentResources(true)
                .withUseSSAToPatchPrimaryResource(true)
                .withMetrics(metrics)
                .withConcurrentReconciliationThreads(config.reconcileThreads())
                .withReconciliationTerminationTimeout(config.shutdownTimeout());
        if (config.leaderElection()) {
            o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                    config.leaseName(),
                    config.leaseNamespace().orElse(null),
                    config.leaseDuration(),
                    config.leaseDuration().multipliedBy(2).dividedBy(3),
                    config.leaseDuration().dividedBy(7),
                    config.identity(),
                    new LeaderCallbacks(() -> log.info("Leading, as {}", config.identity()),
                            () -> leaseLost(config, stopping),
                            leader -> log.info("Leader: {}", leader)),
                    // Exiting is leaseLost's decision: the SDK's own exit would hang a stop from the shutdown hook.
                    false));
        }
    }

    /**
     * Another replica may be reconciling now: exit, unless this replica is stopping anyway (the
     * Lease is let go on every stop, and exiting from inside the shutdown hook would hang).
     */
    private static void leaseLost(OperatorConfig config, AtomicBoolean stopping) {
        if (stopping.get() || !config.exitOnLeaseLoss()) {
            log.info("No longer leading");
            return;
        }
        log.error("Lost the Lease {}: exiting so that only the new leader reconciles", config.leaseName());
        System.exit(1);
    }

    private static <P extends HasMetadata> void watch(
            ControllerConfigurationOverrider<P> controller, OperatorConfig config) {
        controller.withFieldManager(FIELD_MANAGER);
        if (config.namespaces().isEmpty()) {
            controller.watchingAllNamespaces();
        } else {
            controller.settingNamespaces(config.namespaces());
        }
    }

    public Operator operator() {
        return operator;
    }

    public OperatorMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return http.port();
    }

    /**
     * Stops watching, waits for the reconciliations in flight (up to the shutdown timeout), closes
     * the Kafka admin clients and the endpoints.
     */
    @Override
    public void close() {
        log.info("Streamback operator stopping");
        stopping.set(true);
        try {
            operator.stop();
        } finally {
            // After the reconciliations and the readings: none is reading the lag any more.
            lagPolling.close();
            lagReader.close();
            http.close();
        }
        log.info("Streamback operator stopped");
    }
}
