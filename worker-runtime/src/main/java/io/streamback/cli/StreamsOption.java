package io.streamback.cli;

import io.streamback.config.InvalidConfigurationException;
import io.streamback.config.WorkerEnvironment;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --streams URL}, shared by the commands that talk to the streams; by default STREAMBACK_STREAMS. */
final class StreamsOption {
    /** The application name when neither an option nor STREAMBACK_NAME gives one. */
    static final String DEFAULT_APP_NAME = "streamback-cli";

    @Option(names = "--streams", paramLabel = "URL",
            description = "Where the streams are: main=kafka://HOST:PORT[&feedback=redis://HOST:PORT]... "
                    + "(default: $" + WorkerEnvironment.STREAMS + ")")
    private String url;

    /**
     * The streams URL, checked, with STREAMBACK_CA_FILE as its ca_file when it uses TLS and names none.
     *
     * @throws InvalidConfigurationException when there is none
     * @throws io.streamback.config.InvalidStreamsUrlException naming the bad part (passwords masked)
     */
    String url() {
        String given = Optional.ofNullable(url).or(() -> environment(WorkerEnvironment.STREAMS))
                .orElseThrow(() -> new InvalidConfigurationException("No streams URL: pass --streams URL or set "
                        + WorkerEnvironment.STREAMS + ", e.g. main=kafka://kafka:9092&feedback=redis://redis:6379"));
        return WorkerEnvironment.withCaFile(given, environment(WorkerEnvironment.CA_FILE));
    }

    /** {@code given}, else STREAMBACK_NAME, else {@value #DEFAULT_APP_NAME}. */
    static String appName(String given) {
        return Optional.ofNullable(given).or(() -> environment(WorkerEnvironment.NAME)).orElse(DEFAULT_APP_NAME);
    }

    private static Optional<String> environment(String variable) {
        return Optional.ofNullable(System.getenv(variable)).map(String::strip).filter(value -> !value.isEmpty());
    }
}
