package io.streamback.cli;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamback.StreamUnavailableException;
import io.streamback.Streamback;
import io.streamback.StreambackApp;
import io.streamback.callback.AutoRestart;
import io.streamback.callback.MemoryLimitExceededException;
import io.streamback.internal.config.InvalidConfigurationException;
import io.streamback.internal.config.WorkerEnvironment;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import sun.misc.Signal;

/** {@code streamback run}: the worker process, configured entirely from environment variables. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {
                "Runs the listeners of your StreambackApp until SIGTERM or SIGINT, then stops gracefully:",
                "finishes the records in hand, flushes listeners, commits offsets and exits 0.",
                "Configured by environment variables: STREAMBACK_STREAMS (required), STREAMBACK_NAME,",
                "STREAMBACK_APP, STREAMBACK_TOPICS, STREAMBACK_HTTP_PORT, STREAMBACK_HTTP_ADDRESS,",
                "STREAMBACK_SHUTDOWN_TIMEOUT_SECONDS,",
                "STREAMBACK_MAX_SECONDS, STREAMBACK_MAX_MEMORY_MB (see the README)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
                "0:stopped by SIGTERM or SIGINT",
                "1:Kafka or Redis unreachable, or a listener app that failed to start",
                "2:configuration error (the message names the variable)",
                "75:memory stayed above STREAMBACK_MAX_MEMORY_MB after recycling: restart me"})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    static final int FAILED = 1;

    private final Map<String, String> environment;
    private final TerminationMessage terminationMessage;

    RunCommand() {
        this(System.getenv());
    }

    /** A worker configured by {@code environment} instead of the process's. */
    RunCommand(Map<String, String> environment) {
        this(environment, new TerminationMessage(TerminationMessage.KUBERNETES));
    }

    /** ... that writes why it fails to {@code terminationMessage} instead of Kubernetes' file. */
    RunCommand(Map<String, String> environment, TerminationMessage terminationMessage) {
        this.environment = Map.copyOf(environment);
        this.terminationMessage = terminationMessage;
    }

    @Override
    public Integer call() {
        WorkerEnvironment env;
        StreambackApp app;
        try {
            env = WorkerEnvironment.from(environment);
            app = loadApp(env);
        } catch (InvalidConfigurationException | io.streamback.config.InvalidStreamsUrlException e) {
            System.err.println("streamback run: " + e.getMessage());
            terminationMessage.write("streamback run: " + e.getMessage());
            return StreambackCli.USAGE;
        }
        PrometheusMeterRegistry registry = processMetrics();
        Streamback.Builder builder = Streamback.builder(env.name().orElseGet(app::name))
                .streams(env.streams())
                .shutdownTimeout(env.shutdownTimeout())
                .keyPartitioner(env.keyPartitioner())
                .meterRegistry(registry);
        env.topics().ifPresent(builder::topicsFilter);
        env.createMissingTopics().ifPresent(builder::createMissingTopics);
        builder.deadLetterTopic(env.deadLetterTopic().orElse(null));
        try (Streamback streamback = builder.build();
             HealthServer health = env.httpPort() > 0
                     ? HealthServer.start(env.httpAddress(), env.httpPort(), streamback, registry) : null) {
            app.configure(streamback);
            if (env.maxAge().isPresent() || env.maxMemoryMb() > 0) {
                streamback.addCallback(new AutoRestart(env.maxAge().orElse(null), env.maxMemoryMb()));
            }
            stopOnSignal(streamback, "TERM");
            stopOnSignal(streamback, "INT");
            log.info("Worker '{}' starting{}", streamback.name(),
                    health == null ? "" : "; health and metrics on " + health.where());
            streamback.start();
            log.info("Worker '{}' stopped", streamback.name());
            return 0;
        } catch (MemoryLimitExceededException e) {
            log.error("{}", e.getMessage());
            return MemoryLimitExceededException.EXIT_CODE;
        } catch (StreamUnavailableException e) {
            log.error("Cannot start: {}", e.getMessage());
            terminationMessage.write("Cannot start: " + e.getMessage());
            return FAILED;
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.error("The listener app failed to start: {}", e.getMessage(), e);
            terminationMessage.write("The listener app failed to start: " + e.getMessage());
            return FAILED;
        }
    }

    /** A Prometheus registry with the JVM's and the process's meters, for /metrics. */
    static PrometheusMeterRegistry processMetrics() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new UptimeMetrics()).forEach(binder -> binder.bindTo(registry));
        return registry;
    }

    /** The app named by STREAMBACK_APP, or the one listed for ServiceLoader. */
    private static StreambackApp loadApp(WorkerEnvironment env) {
        if (env.appClass().isPresent()) {
            String className = env.appClass().get();
            try {
                Class<?> type = Class.forName(className);
                if (!StreambackApp.class.isAssignableFrom(type)) {
                    throw new InvalidConfigurationException(WorkerEnvironment.APP + "=" + className
                            + " does not implement " + StreambackApp.class.getName());
                }
                return (StreambackApp) type.getConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                throw new InvalidConfigurationException(WorkerEnvironment.APP + "=" + className
                        + ": no such class on the classpath");
            } catch (ReflectiveOperationException e) {
                throw new InvalidConfigurationException(WorkerEnvironment.APP + "=" + className
                        + " could not be created (it needs a public no-argument constructor): " + e);
            }
        }
        List<StreambackApp> apps = ServiceLoader.load(StreambackApp.class).stream().map(ServiceLoader.Provider::get).toList();
        if (apps.size() == 1) {
            return apps.get(0);
        }
        throw new InvalidConfigurationException(apps.isEmpty()
                ? "No StreambackApp found: list yours in META-INF/services/io.streamback.StreambackApp or set "
                        + WorkerEnvironment.APP
                : "Several StreambackApps found " + apps.stream().map(a -> a.getClass().getName()).toList()
                        + ": choose one with " + WorkerEnvironment.APP);
    }

    /** Stops the worker gracefully on the signal; the process then exits 0 instead of 128+signal. */
    static void stopOnSignal(Streamback streamback, String signal) {
        Signal.handle(new Signal(signal), received -> {
            log.info("SIG{} received: stopping gracefully", signal);
            new Thread(streamback::close, "streamback-stop").start();
        });
    }
}
