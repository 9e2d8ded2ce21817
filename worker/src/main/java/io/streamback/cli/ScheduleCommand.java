package io.streamback.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamback.StreamUnavailableException;
import io.streamback.Streamback;
import io.streamback.config.InvalidStreamsUrlException;
import io.streamback.internal.config.InvalidConfigurationException;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.internal.wire.WireFormat;
import io.streamback.schedule.Schedule;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamback schedule}: a process that only sends scheduled messages, e.g. every few seconds. */
@Command(name = "schedule",
        mixinStandardHelpOptions = true,
        versionProvider = StreambackCli.Version.class,
        description = {
                "Sends scheduled messages until SIGTERM or SIGINT.",
                "",
                "At every occurrence of the cron expression --when, sends --args to topic --then.",
                "Repeat --name, --when, --then... for more schedules, or list them in a --file.",
                "Each occurrence is sent once across every replica with the same application",
                "name ($STREAMBACK_NAME, else " + StreamsOption.DEFAULT_APP_NAME + "): replicas claim it in Redis, so the",
                "streams URL needs feedback=redis://... Serves /healthz, /readyz and /metrics."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
                "0:stopped by SIGTERM or SIGINT",
                "1:Kafka or Redis unreachable at start",
                "2:usage error: bad option, cron expression, JSON, time zone, file or streams URL "
                        + "(the message says what and where)"})
final class ScheduleCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ScheduleCommand.class);

    @ArgGroup(exclusive = false, multiplicity = "0..*", heading = "A schedule (repeat for more):%n")
    private List<ScheduleOptions> schedules = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE",
            description = "Schedules from a JSON array of {\"name\", \"when\", \"then\", \"args\", \"timeZone\", \"description\"}.")
    private Path file;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How late a missed occurrence may still be sent, e.g. after a restart; "
                    + "older ones are skipped and logged (default: ${DEFAULT-VALUE}).")
    private Duration grace;

    @Mixin
    private StreamsOption streams;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:" + WorkerEnvironment.HTTP_PORT + ":-" + WorkerEnvironment.DEFAULT_HTTP_PORT + "}",
            description = "Port of /healthz, /readyz and /metrics; 0 for none (default: $" + WorkerEnvironment.HTTP_PORT
                    + ", else " + WorkerEnvironment.DEFAULT_HTTP_PORT + ").")
    private int httpPort;

    @Option(names = "--http-address", paramLabel = "ADDRESS", defaultValue = "${env:STREAMBACK_HTTP_ADDRESS}",
            description = "The local address --http-port listens on, e.g. 127.0.0.1 for this host alone "
                    + "(default: $STREAMBACK_HTTP_ADDRESS, else every interface).")
    private String httpAddress;

    /** One schedule given as options. */
    static final class ScheduleOptions {
        @Option(names = "--name", required = true, paramLabel = "N", description = "The schedule's name, unique in the application.")
        private String name;

        @Option(names = "--when", required = true, paramLabel = "CRON",
                description = "Cron expression: 6 fields, seconds first (\"*/30 * * * * *\"), or 5 fields at second 0.")
        private String when;

        @Option(names = "--then", required = true, paramLabel = "TOPIC", description = "The topic to send to.")
        private String then;

        @Option(names = "--args", paramLabel = "JSON", converter = JsonConverter.class, description = "The message value (default: null).")
        private JsonNode args;

        @Option(names = "--time-zone", paramLabel = "ZONE", description = "Whose wall clock CRON reads, e.g. Europe/Athens (default: UTC).")
        private String timeZone;

        @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
        private String description;

        private ScheduleSpec spec() {
            return new ScheduleSpec(name, when, then, args, timeZone, description);
        }
    }

    /** One schedule as given, by options or in a --file. */
    record ScheduleSpec(String name, String when, String then, JsonNode args, String timeZone, String description) {
        /** @throws IllegalArgumentException naming the schedule and what is wrong with it */
        private Schedule toSchedule() {
            Schedule.Builder schedule = Schedule.named(name).when(when).then(then).args(args).description(description);
            if (timeZone != null) {
                try {
                    schedule.timeZone(ZoneId.of(timeZone));
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("Schedule '" + name + "': unknown time zone '" + timeZone
                            + "'; use a region such as Europe/Athens, or an offset such as +02:00");
                }
            }
            return schedule.build();
        }
    }

    @Override
    public Integer call() {
        String url;
        List<Schedule> all;
        try {
            url = streams.url();
            all = allSchedules();
        } catch (InvalidConfigurationException | InvalidStreamsUrlException | IllegalArgumentException e) {
            return usageError(e.getMessage());
        }
        if (httpPort < 0 || httpPort > 65535) {
            return usageError("--http-port " + httpPort + " is out of range 0-65535");
        }
        Optional<InetAddress> address;
        try {
            address = Optional.ofNullable(httpAddress).filter(value -> !value.isBlank())
                    .map(value -> WorkerEnvironment.localAddress("--http-address", value));
        } catch (InvalidConfigurationException e) {
            return usageError(e.getMessage());
        }
        PrometheusMeterRegistry registry = RunCommand.processMetrics();
        try (Streamback streamback = Streamback.builder(StreamsOption.appName(null)).streams(url)
                .scheduleGrace(grace).meterRegistry(registry).build()) {
            try {
                all.forEach(streamback::schedule);
            } catch (IllegalArgumentException | IllegalStateException e) {
                return usageError(e.getMessage());
            }
            try (HealthServer health = httpPort > 0 ? HealthServer.start(address, httpPort, streamback, registry) : null) {
                RunCommand.stopOnSignal(streamback, "TERM");
                RunCommand.stopOnSignal(streamback, "INT");
                log.info("Scheduler '{}' starting {} schedule(s){}", streamback.name(), all.size(),
                        health == null ? "" : "; health and metrics on " + health.where());
                streamback.start();
                log.info("Scheduler '{}' stopped", streamback.name());
                return 0;
            }
        } catch (StreamUnavailableException e) {
            log.error("Cannot start: {}", e.getMessage());
            new TerminationMessage(TerminationMessage.KUBERNETES).write("Cannot start: " + e.getMessage());
            return RunCommand.FAILED;
        }
    }

    /** The schedules of the options, then those of the file. */
    private List<Schedule> allSchedules() {
        List<Schedule> all = new ArrayList<>();
        schedules.forEach(options -> all.add(options.spec().toSchedule()));
        if (file != null) {
            List<ScheduleSpec> specs = readFile(file);
            for (int i = 0; i < specs.size(); i++) {
                try {
                    all.add(specs.get(i).toSchedule());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--file " + file + ", schedule #" + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("No schedule: give --name, --when and --then, or --file");
        }
        return all;
    }

    private static List<ScheduleSpec> readFile(Path file) {
        try {
            return WireFormat.mapper().readerForListOf(ScheduleSpec.class)
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(file.toFile());
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("--file " + file + ": " + JsonConverter.location(e) + "unknown field '"
                    + e.getPropertyName() + "'; a schedule has " + Arrays.stream(ScheduleSpec.class.getRecordComponents())
                    .map(RecordComponent::getName).collect(Collectors.joining(", ")), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--file " + file + ": " + JsonConverter.problem(e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("--file " + file + ": cannot read it: " + e, e);
        }
    }

    private static int usageError(String message) {
        System.err.println("streamback schedule: " + message);
        return StreambackCli.USAGE;
    }
}
