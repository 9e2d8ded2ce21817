package io.streamback.internal.config;

import io.streamback.config.CaFile;
import io.streamback.config.RedisEndpoint;
import io.streamback.config.StreamsUrl;
import io.streamback.kafka.KeyPartitioner;
import io.streamback.kafka.TopicDefaults;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The worker process's configuration, read from environment variables: the contract between a
 * worker image and whatever runs it (the Kubernetes operator, a compose file, a shell).
 * README's "Worker environment" table documents each variable.
 *
 * @param streams         STREAMBACK_STREAMS: the streams URL (required), with STREAMBACK_CA_FILE as its
 *                        {@code ca_file} when it uses TLS and names none
 * @param name            STREAMBACK_NAME: the application name; empty: the app's own
 * @param appClass        STREAMBACK_APP: the StreambackApp class; empty: found by ServiceLoader
 * @param topics          STREAMBACK_TOPICS: run only these topics' listeners; empty: all
 * @param httpPort        STREAMBACK_HTTP_PORT: health and metrics port, 0 for none (8080)
 * @param httpAddress     STREAMBACK_HTTP_ADDRESS: the local address that port listens on; empty: every interface
 * @param shutdownTimeout STREAMBACK_SHUTDOWN_TIMEOUT_SECONDS: graceful stop bound (30)
 * @param maxAge          STREAMBACK_MAX_SECONDS: recycle the consumers this often; empty: never
 * @param maxMemoryMb     STREAMBACK_MAX_MEMORY_MB: recycle, then exit 75, above this resident memory; 0: no limit
 * @param deadLetterTopic STREAMBACK_DEAD_LETTER_TOPIC: where records that can't be handled go, {@code {topic}}
 *                        standing for their topic ({@code {topic}.dlt}); empty when set to {@code off}
 * @param keyPartitioner  STREAMBACK_KEY_PARTITIONER: how keyed messages the worker sends pick their partition,
 *                        {@code crc32} as the Python library (default) or {@code murmur2} as Kafka's Java client
 * @param createMissingTopics STREAMBACK_CREATE_MISSING_TOPICS: create the listeners' missing topics at start,
 *                        {@code PARTITIONS} or {@code PARTITIONS:REPLICATION}; empty: never
 */
public record WorkerEnvironment(String streams, Optional<String> name, Optional<String> appClass,
                               Optional<Set<String>> topics, int httpPort, Optional<InetAddress> httpAddress,
                               Duration shutdownTimeout,
                               Optional<Duration> maxAge, long maxMemoryMb, Optional<String> deadLetterTopic,
                               KeyPartitioner keyPartitioner, Optional<TopicDefaults> createMissingTopics) {

    public static final String STREAMS = "STREAMBACK_STREAMS";
    public static final String NAME = "STREAMBACK_NAME";
    public static final String APP = "STREAMBACK_APP";
    public static final String TOPICS = "STREAMBACK_TOPICS";
    public static final String HTTP_PORT = "STREAMBACK_HTTP_PORT";
    public static final String HTTP_ADDRESS = "STREAMBACK_HTTP_ADDRESS";
    public static final String SHUTDOWN_TIMEOUT_SECONDS = "STREAMBACK_SHUTDOWN_TIMEOUT_SECONDS";
    public static final String MAX_SECONDS = "STREAMBACK_MAX_SECONDS";
    public static final String MAX_MEMORY_MB = "STREAMBACK_MAX_MEMORY_MB";
    public static final String DEAD_LETTER_TOPIC = "STREAMBACK_DEAD_LETTER_TOPIC";
    public static final String CA_FILE = "STREAMBACK_CA_FILE";
    public static final String KEY_PARTITIONER = "STREAMBACK_KEY_PARTITIONER";
    public static final String CREATE_MISSING_TOPICS = "STREAMBACK_CREATE_MISSING_TOPICS";
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "{topic}.dlt";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 30;
    public static final int MAX_SHUTDOWN_TIMEOUT_SECONDS = 86_400;

    /**
     * Reads the variables.
     *
     * @throws InvalidConfigurationException naming the variable and what is wrong with its value
     */
    public static WorkerEnvironment from(Map<String, String> env) {
        String streams = text(env, STREAMS).orElseThrow(() -> new InvalidConfigurationException(
                STREAMS + " is not set; it holds the streams URL, e.g. main=kafka://kafka:9092&feedback=redis://redis:6379"));
        return new WorkerEnvironment(
                withCaFile(streams, text(env, CA_FILE)),
                text(env, NAME),
                text(env, APP),
                text(env, TOPICS).map(WorkerEnvironment::topicList),
                (int) number(env, HTTP_PORT, DEFAULT_HTTP_PORT, 0, 65535),
                text(env, HTTP_ADDRESS).map(address -> localAddress(HTTP_ADDRESS, address)),
                Duration.ofSeconds(number(env, SHUTDOWN_TIMEOUT_SECONDS, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, 1,
                        MAX_SHUTDOWN_TIMEOUT_SECONDS)),
                text(env, MAX_SECONDS).map(v -> Duration.ofSeconds(number(env, MAX_SECONDS, 0, 1, Long.MAX_VALUE))),
                number(env, MAX_MEMORY_MB, 0, 0, 1 << 20),
                deadLetterTopic(text(env, DEAD_LETTER_TOPIC).orElse(DEFAULT_DEAD_LETTER_TOPIC)),
                text(env, KEY_PARTITIONER).map(WorkerEnvironment::keyPartitioner).orElse(KeyPartitioner.CRC32),
                text(env, CREATE_MISSING_TOPICS).map(WorkerEnvironment::topicDefaults));
    }

    /**
     * The streams URL, checked, with {@code caFile} (STREAMBACK_CA_FILE) as its {@code ca_file}
     * when it names none: the URL's own wins. A URL without TLS has nothing to trust, so it is
     * returned as it is, unlike a URL that names a ca_file itself.
     *
     * @throws InvalidStreamsUrlException naming the bad part of the URL
     * @throws InvalidConfigurationException naming STREAMBACK_CA_FILE when its file can't be used
     */
    public static String withCaFile(String streams, Optional<String> caFile) {
        StreamsUrl url = StreamsUrl.parse(streams);
        boolean tls = url.main().tls() || url.feedback().map(RedisEndpoint::tls).orElse(false);
        boolean namesCaFile = url.main().caFile().isPresent() || url.feedback().flatMap(RedisEndpoint::caFile).isPresent();
        if (caFile.isEmpty() || !tls || namesCaFile) {
            return streams;
        }
        String path = caFile.get();
        if (path.contains("&")) {
            throw new InvalidConfigurationException(CA_FILE + "='" + path + "': the path may not contain '&'");
        }
        try {
            CaFile.read(Path.of(path));
        } catch (IllegalArgumentException e) { // InvalidPathException included
            throw new InvalidConfigurationException(CA_FILE + ": " + e.getMessage());
        }
        return streams.strip() + "&ca_file=" + path;
    }

    /**
     * The address of this host that {@code value} names (an IP address or a host name), for a server
     * to listen on; {@code 0.0.0.0} or {@code ::} for every interface.
     *
     * @param setting the variable or option that gave it, for the message
     * @throws InvalidConfigurationException naming {@code setting} when it is no address of this host
     */
    public static InetAddress localAddress(String setting, String value) {
        InetAddress address;
        try {
            address = InetAddress.getByName(value.strip());
        } catch (UnknownHostException e) {
            throw new InvalidConfigurationException(setting + "='" + value + "' is neither an IP address nor a known host name");
        }
        boolean local;
        try {
            local = address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            local = false;
        }
        if (!local) {
            throw new InvalidConfigurationException(setting + "='" + value + "' (" + address.getHostAddress()
                    + ") is no address of this host; give one of its interfaces' addresses, 127.0.0.1 for this host "
                    + "alone, or 0.0.0.0 for every interface");
        }
        return address;
    }

    private static Optional<String> deadLetterTopic(String value) {
        if (value.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        if (!value.replace("{topic}", "t").matches("[A-Za-z0-9._-]+")) {
            throw new InvalidConfigurationException(DEAD_LETTER_TOPIC + "='" + value + "' is not a topic name "
                    + "(letters, digits, '.', '_', '-', and {topic} for the record's topic) nor 'off'");
        }
        return Optional.of(value);
    }

    private static KeyPartitioner keyPartitioner(String value) {
        try {
            return KeyPartitioner.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(KEY_PARTITIONER + ": " + e.getMessage());
        }
    }

    private static TopicDefaults topicDefaults(String value) {
        try {
            return TopicDefaults.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(CREATE_MISSING_TOPICS + ": " + e.getMessage());
        }
    }

    private static Set<String> topicList(String value) {
        Set<String> topics = new LinkedHashSet<>();
        Arrays.stream(value.split(",")).map(String::strip).filter(t -> !t.isEmpty()).forEach(topics::add);
        if (topics.isEmpty()) {
            throw new InvalidConfigurationException(TOPICS + " is set but names no topic: '" + value + "'");
        }
        return topics;
    }

    private static Optional<String> text(Map<String, String> env, String variable) {
        return Optional.ofNullable(env.get(variable)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static long number(Map<String, String> env, String variable, long fallback, long min, long max) {
        Optional<String> value = text(env, variable);
        if (value.isEmpty()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(variable + "='" + value.get() + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new InvalidConfigurationException(variable + "=" + parsed + " is out of range " + min + "-" + max);
        }
        return parsed;
    }
}
