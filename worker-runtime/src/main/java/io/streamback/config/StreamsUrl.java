package io.streamback.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The streams URL that tells Streamback where its streams live, in the Python library's grammar:
 * {@code main=kafka://HOST:PORT[,HOST:PORT...]&feedback=redis://HOST:PORT[&topics_prefix=P][&group=G]}.
 *
 * <p>Kafka credentials may be written the Python way, {@code kafka://USER@PASSWORD:HOST:PORT},
 * or the URI way, {@code kafka://USER:PASSWORD@HOST:PORT}; both mean SASL/PLAIN unless
 * {@code sasl_mechanism=} names a SCRAM mechanism. {@code kafkas://} speaks TLS to Kafka. Redis
 * takes {@code redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]}, and {@code rediss://} for TLS.
 * {@code ca_file=} names the PEM certificates that TLS trusts instead of the JVM's default ones.
 * The TLS and SCRAM settings are this library's additions to the Python grammar.
 * {@link #toString()} masks every password.
 */
public record StreamsUrl(
        KafkaEndpoint main,
        Optional<RedisEndpoint> feedback,
        Optional<String> topicsPrefix,
        Optional<String> group) {

    private static final int DEFAULT_KAFKA_PORT = 9092;
    private static final int DEFAULT_REDIS_PORT = 6379;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final List<String> SETTINGS =
            List.of("main", "feedback", "topics_prefix", "group", "sasl_mechanism", "ca_file");

    /**
     * Parses a streams URL.
     *
     * @throws InvalidStreamsUrlException naming the bad setting and what is wrong with it
     */
    public static StreamsUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidStreamsUrlException(
                    "Streams URL is empty; expected main=kafka://HOST:PORT[&feedback=redis://HOST:PORT]");
        }
        Map<String, String> settings = settings(url.strip());
        String main = settings.get("main");
        if (main == null) {
            throw invalid(url, "the required setting 'main' is missing (main=kafka://HOST:PORT)");
        }
        Optional<CaFile> caFile = Optional.ofNullable(settings.get("ca_file")).map(value -> caFile(url, value));
        KafkaEndpoint kafka = parseKafka(url, main, saslMechanism(url, settings.get("sasl_mechanism")), caFile);
        Optional<RedisEndpoint> redis = Optional.ofNullable(settings.get("feedback"))
                .map(value -> parseRedis(url, value, caFile));
        if (caFile.isPresent() && !kafka.tls() && !redis.map(RedisEndpoint::tls).orElse(false)) {
            throw invalid(url, "ca_file is given but no stream uses TLS (main=kafkas://... or feedback=rediss://...)");
        }
        if (settings.containsKey("sasl_mechanism") && kafka.sasl().isEmpty()) {
            throw invalid(url, "sasl_mechanism needs credentials in main (kafka://USER:PASSWORD@HOST:PORT)");
        }
        return new StreamsUrl(
                kafka,
                redis,
                Optional.ofNullable(settings.get("topics_prefix")).map(value -> topicPrefix(url, value)),
                Optional.ofNullable(settings.get("group")));
    }

    /**
     * The real topic name for a topic as the application names it: {@code PREFIX.topic}
     * unless it already starts with the prefix (the Python library's rule).
     */
    public String topicName(String topic) {
        return topicsPrefix
                .filter(prefix -> !topic.startsWith(prefix))
                .map(prefix -> prefix + "." + topic)
                .orElse(topic);
    }

    /** The URL again, with every password replaced by {@code ****}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("main=").append(main);
        feedback.ifPresent(f -> out.append("&feedback=").append(f));
        topicsPrefix.ifPresent(p -> out.append("&topics_prefix=").append(p));
        group.ifPresent(g -> out.append("&group=").append(g));
        if (main.sasl().isPresent() && main.saslMechanism() != SaslMechanism.PLAIN) {
            out.append("&sasl_mechanism=").append(main.saslMechanism());
        }
        main.caFile().or(() -> feedback.flatMap(RedisEndpoint::caFile))
                .ifPresent(ca -> out.append("&ca_file=").append(ca));
        return out.toString();
    }

    /** Masks the passwords of a raw, possibly invalid, streams URL so it can appear in messages. */
    public static String mask(String url) {
        if (url == null) {
            return "null";
        }
        List<String> masked = new ArrayList<>();
        for (String setting : url.split("&", -1)) {
            int scheme = setting.indexOf("://");
            if (scheme < 0) {
                masked.add(setting);
                continue;
            }
            String head = setting.substring(0, scheme + 3);
            String authority = setting.substring(scheme + 3);
            int at = authority.indexOf('@');
            int colon = authority.indexOf(':');
            if (at < 0) {
                masked.add(setting);
            } else if (colon < 0 || at < colon) {
                // Python style USER@PASSWORD:HOSTS
                String rest = colon < 0 ? "" : authority.substring(colon);
                masked.add(head + authority.substring(0, at) + "@****" + rest);
            } else {
                int lastAt = authority.lastIndexOf('@');
                String user = authority.substring(0, authority.indexOf(':'));
                masked.add(head + user + ":****" + authority.substring(lastAt));
            }
        }
        return String.join("&", masked);
    }

    private static Map<String, String> settings(String url) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : url.split("&", -1)) {
            int equals = setting.indexOf('=');
            if (equals < 0) {
                throw invalid(url, "setting '" + mask(setting) + "' has no '=' (expected name=value)");
            }
            String name = setting.substring(0, equals).strip();
            String value = setting.substring(equals + 1).strip();
            if (!SETTINGS.contains(name)) {
                throw invalid(url, "unknown setting '" + name + "' (known: " + String.join(", ", SETTINGS) + ")");
            }
            if (value.isEmpty()) {
                throw invalid(url, "setting '" + name + "' has an empty value");
            }
            if (settings.put(name, value) != null) {
                throw invalid(url, "setting '" + name + "' is given twice");
            }
        }
        return settings;
    }

    private static KafkaEndpoint parseKafka(String url, String value, SaslMechanism mechanism, Optional<CaFile> caFile) {
        boolean tls = value.startsWith("kafkas://");
        String authority = stripScheme(url, "main", value, tls ? "kafkas" : "kafka");
        Optional<Credentials> sasl = Optional.empty();
        int at = authority.indexOf('@');
        int colon = authority.indexOf(':');
        if (at >= 0 && (colon < 0 || at < colon)) {
            // The Python library's syntax: USER@PASSWORD:HOST:PORT[,HOST:PORT]
            if (colon < 0) {
                throw invalid(url, "main: credentials USER@PASSWORD must be followed by ':HOST:PORT'");
            }
            sasl = Optional.of(credentials(url, "main", authority.substring(0, at), authority.substring(at + 1, colon)));
            authority = authority.substring(colon + 1);
        } else if (at >= 0) {
            // URI syntax: USER:PASSWORD@HOST:PORT[,HOST:PORT]
            int lastAt = authority.lastIndexOf('@');
            String userInfo = authority.substring(0, lastAt);
            int separator = userInfo.indexOf(':');
            sasl = Optional.of(credentials(url, "main",
                    userInfo.substring(0, separator), userInfo.substring(separator + 1)));
            authority = authority.substring(lastAt + 1);
        }
        if (sasl.isPresent() && sasl.get().username().isEmpty()) {
            throw invalid(url, "main: SASL credentials need a user name");
        }
        List<HostPort> servers = new ArrayList<>();
        for (String server : authority.split(",", -1)) {
            servers.add(hostPort(url, "main", server.strip(), DEFAULT_KAFKA_PORT));
        }
        return new KafkaEndpoint(servers, tls, sasl, mechanism, tls ? caFile : Optional.empty());
    }

    private static SaslMechanism saslMechanism(String url, String name) {
        if (name == null) {
            return SaslMechanism.PLAIN;
        }
        return SaslMechanism.named(name).orElseThrow(() -> invalid(url,
                "sasl_mechanism '" + name + "' is unknown (known: " + SaslMechanism.names() + ")"));
    }

    private static CaFile caFile(String url, String path) {
        try {
            return CaFile.read(Path.of(path));
        } catch (IllegalArgumentException e) {
            throw invalid(url, "ca_file: " + e.getMessage());
        }
    }

    private static RedisEndpoint parseRedis(String url, String value, Optional<CaFile> caFile) {
        boolean tls = value.startsWith("rediss://");
        String authority = stripScheme(url, "feedback", value, tls ? "rediss" : "redis");
        Optional<Credentials> credentials = Optional.empty();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            int separator = userInfo.indexOf(':');
            credentials = separator < 0
                    ? Optional.of(credentials(url, "feedback", "", userInfo))
                    : Optional.of(credentials(url, "feedback",
                            userInfo.substring(0, separator), userInfo.substring(separator + 1)));
            authority = authority.substring(at + 1);
        }
        int database = 0;
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            String db = authority.substring(slash + 1);
            authority = authority.substring(0, slash);
            if (!db.isEmpty()) {
                try {
                    database = Integer.parseInt(db);
                } catch (NumberFormatException e) {
                    throw invalid(url, "feedback: database '" + db + "' is not a number");
                }
                if (database < 0) {
                    throw invalid(url, "feedback: database " + database + " is negative");
                }
            }
        }
        return new RedisEndpoint(hostPort(url, "feedback", authority, DEFAULT_REDIS_PORT), tls, credentials, database,
                tls ? caFile : Optional.empty());
    }

    private static String stripScheme(String url, String setting, String value, String expectedScheme) {
        int separator = value.indexOf("://");
        if (separator < 0) {
            throw invalid(url, setting + ": '" + mask(value) + "' has no scheme (expected " + expectedScheme + "://...)");
        }
        String scheme = value.substring(0, separator);
        if (setting.equals("main") && !scheme.equals("kafka") && !scheme.equals("kafkas")) {
            throw invalid(url, "main: unknown scheme '" + scheme
                    + "' (the main stream is Kafka: kafka://HOST:PORT or kafkas://HOST:PORT)");
        }
        if (setting.equals("feedback") && !scheme.equals("redis") && !scheme.equals("rediss")) {
            throw invalid(url, "feedback: unknown scheme '" + scheme
                    + "' (the feedback stream is Redis: redis://HOST:PORT or rediss://HOST:PORT)");
        }
        String authority = value.substring(separator + 3);
        if (authority.endsWith("/") && setting.equals("main")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        if (authority.isEmpty()) {
            throw invalid(url, setting + ": no host given after " + scheme + "://");
        }
        return authority;
    }

    private static HostPort hostPort(String url, String setting, String server, int defaultPort) {
        String host = server;
        int port = defaultPort;
        int colon = server.lastIndexOf(':');
        if (colon >= 0 && !server.endsWith("]")) {
            host = server.substring(0, colon);
            String portText = server.substring(colon + 1);
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw invalid(url, setting + ": port '" + portText + "' of '" + server + "' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw invalid(url, setting + ": port " + port + " of '" + server + "' is out of range 1-65535");
            }
        }
        if (host.isEmpty()) {
            throw invalid(url, setting + ": '" + server + "' has no host");
        }
        if (!HOST.matcher(host).matches()) {
            throw invalid(url, setting + ": '" + host + "' is not a valid host name");
        }
        return new HostPort(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
    }

    private static Credentials credentials(String url, String setting, String user, String password) {
        if (password.isEmpty()) {
            throw invalid(url, setting + ": the password is empty");
        }
        return new Credentials(
                user.isEmpty() ? Optional.empty() : Optional.of(decode(user)),
                decode(password));
    }

    private static String topicPrefix(String url, String prefix) {
        if (!TOPIC_NAME.matcher(prefix).matches()) {
            throw invalid(url, "topics_prefix '" + prefix
                    + "' may hold only letters, digits, '.', '_' and '-' (Kafka topic characters)");
        }
        return prefix;
    }

    private static String decode(String text) {
        return text.contains("%") ? URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8) : text;
    }

    private static InvalidStreamsUrlException invalid(String url, String problem) {
        return new InvalidStreamsUrlException("Invalid streams URL '" + mask(url) + "': " + problem);
    }
}
