package io.streamback.spring.boot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The streams URL of the auto-configured Streamback: {@code streamback.streams} when set, else made
 * from Spring's own Kafka and Redis settings, so an application that already configures them for
 * Spring Kafka or Spring Data Redis needs nothing more.
 */
final class StreamsUrlResolver {
    static final String KAFKA_SERVERS = "spring.kafka.bootstrap-servers";
    private static final String KAFKA_SECURITY_PROTOCOL = "spring.kafka.security.protocol";
    private static final String REDIS = "spring.data.redis";

    private StreamsUrlResolver() {
    }

    /**
     * @throws IllegalStateException when neither a streams URL nor Kafka servers are configured, or
     *                               when the Spring settings ask for what only a streams URL can say
     */
    static String resolve(StreambackProperties properties, Environment environment) {
        Binder binder = Binder.get(environment);
        String url = hasText(properties.getStreams()) ? properties.getStreams().strip() : fromSpringSettings(binder);
        if (hasText(properties.getTopicsPrefix())) {
            if (url.contains("topics_prefix=")) {
                throw new IllegalStateException("streamback.topics-prefix is set and the streams URL has its own "
                        + "topics_prefix: keep one of them");
            }
            url += "&topics_prefix=" + properties.getTopicsPrefix().strip();
        }
        return url;
    }

    private static String fromSpringSettings(Binder binder) {
        List<String> servers = binder.bind(KAFKA_SERVERS, Bindable.listOf(String.class)).orElse(List.of());
        if (servers.isEmpty()) {
            throw new IllegalStateException("Streamback has no Kafka to connect to: set streamback.streams "
                    + "(main=kafka://HOST:PORT&feedback=redis://HOST:PORT) or " + KAFKA_SERVERS
                    + " (with spring.data.redis.host for replies)");
        }
        bound(binder, KAFKA_SECURITY_PROTOCOL, String.class)
                .filter(protocol -> !protocol.equalsIgnoreCase("PLAINTEXT"))
                .ifPresent(protocol -> {
                    throw new IllegalStateException(KAFKA_SECURITY_PROTOCOL + " is " + protocol + ": Streamback takes "
                            + "secured Kafka settings from streamback.streams only (e.g. main=kafkas://USER:PASSWORD@HOST:PORT"
                            + "&sasl_mechanism=SCRAM-SHA-512)");
                });
        StringBuilder url = new StringBuilder("main=kafka://").append(String.join(",", servers));
        redisUrl(binder).ifPresent(redis -> url.append("&feedback=").append(redis));
        return url.toString();
    }

    /** The feedback stream from {@code spring.data.redis.*}; empty when none of them is set (one-way only). */
    private static Optional<String> redisUrl(Binder binder) {
        Optional<String> springUrl = bound(binder, REDIS + ".url", String.class);
        if (springUrl.isPresent()) {
            return springUrl;
        }
        Optional<String> host = bound(binder, REDIS + ".host", String.class);
        Optional<Integer> port = bound(binder, REDIS + ".port", Integer.class);
        Optional<String> username = bound(binder, REDIS + ".username", String.class);
        Optional<String> password = bound(binder, REDIS + ".password", String.class);
        Optional<Integer> database = bound(binder, REDIS + ".database", Integer.class);
        boolean tls = binder.bind(REDIS + ".ssl.enabled", Boolean.class).orElse(false);
        if (host.isEmpty() && port.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder url = new StringBuilder(tls ? "rediss://" : "redis://");
        if (password.isPresent()) {
            username.ifPresent(user -> url.append(encode(user)));
            url.append(':').append(encode(password.get())).append('@');
        }
        url.append(host.orElse("localhost")).append(':').append(port.orElse(6379));
        database.filter(db -> db != 0).ifPresent(db -> url.append('/').append(db));
        return Optional.of(url.toString());
    }

    private static <T> Optional<T> bound(Binder binder, String name, Class<T> type) {
        return Optional.ofNullable(binder.bind(name, type).orElse(null));
    }

    /** Percent-encoding as the streams URL decodes it: a space is %20, since a '+' stays a '+'. */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean hasText(String text) {
        return text != null && !text.isBlank();
    }
}
