package io.streamback.operator;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operator SDK's metrics hook, recorded with Micrometer for Prometheus:
 *
 * <ul>
 *   <li>{@code streamback_operator_reconciliations_total{controller,result}}: result is success or error;</li>
 *   <li>{@code streamback_operator_reconciliation_errors_total{controller}};</li>
 *   <li>{@code streamback_operator_reconciliation_duration_seconds{controller,result}}: a timer;</li>
 * </ul>
 *
 * plus the JVM's memory, threads, CPU and uptime.
 */
public final class OperatorMetrics implements Metrics {

    private final PrometheusMeterRegistry registry;

    public OperatorMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The metrics in Prometheus' text format, for /metrics. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        String controller = execution.controllerName();
        Timer.Sample sample = Timer.start(registry);
        String result = "error";
        try {
            T outcome = execution.execute();
            result = "success";
            return outcome;
        } catch (Exception e) {
            Counter.builder("streamback.operator.reconciliation.errors")
                    .description("Reconciliations that threw; they are retried with backoff")
                    .tag("controller", controller)
                    .register(registry)
                    .increment();
            throw e;
        } finally {
            sample.stop(Timer.builder("streamback.operator.reconciliation.duration")
                    .description("Time spent reconciling one resource")
                    .tags("controller", controller, "result", result)
                    .register(registry));
            Counter.builder("streamback.operator.reconciliations")
                    .description("Reconciliations run")
                    .tags("controller", controller, "result", result)
                    .register(registry)
                    .increment();
        }
    }
}
