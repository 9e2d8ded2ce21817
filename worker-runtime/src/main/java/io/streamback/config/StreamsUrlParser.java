package io.streamback.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one streams URL for {@link StreamsUrl#parse}. It works on positions in the URL as given,
 * so that every error names the setting and the character where it went wrong, and quotes the URL
 * or a piece of it only through {@link RedactedUrl}: nothing that could be a credential is echoed.
 */
final class StreamsUrlParser {
    private static final int DEFAULT_KAFKA_PORT = 9092;
    private static final int DEFAULT_REDIS_PORT = 6379;
    private static final int DEFAULT_SENTINEL_PORT = 26379;
    private static final List<String> REDIS_SCHEMES = List.of(
            "redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-cluster", "rediss-cluster");
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final List<String> SETTINGS =
            List.of("main", "feedback", "topics_prefix", "group", "sasl_mechanism", "ca_file");
    private static final String ENCODING_HINT = "; in a user name or password, write '&' as %26, '@' as %40, "
            + "':' as %3A, '/' as %2F, '#' as %23, '?' as %3F and '%' as %25";

    /** One {@code name=value} of the URL; the positions are those in the URL as given. */
    private record Setting(String name, int start, int valueStart, int valueEnd) {
    }

    private final String url;
    private final RedactedUrl redacted;

    StreamsUrlParser(String url) {
        this.url = url;
        this.redacted = new RedactedUrl(url);
    }

    StreamsUrl parse() {
        Map<String, Setting> settings = settings();
        Setting main = settings.get("main");
        if (main == null) {
            throw new InvalidStreamsUrlException("Invalid streams URL '" + redacted.shown()
                    + "': the required setting 'main' is missing (main=kafka://HOST:PORT)");
        }
        Setting caSetting = settings.get("ca_file");
        Optional<CaFile> caFile = Optional.ofNullable(caSetting).map(this::caFile);
        Setting mechanismSetting = settings.get("sasl_mechanism");
        KafkaEndpoint kafka = kafka(main, saslMechanism(mechanismSetting), caFile);
        Optional<RedisEndpoint> redis = Optional.ofNullable(settings.get("feedback")).map(value -> redis(value, caFile));
        if (caSetting != null && !kafka.tls() && !redis.map(RedisEndpoint::tls).orElse(false)) {
            throw invalid(null, caSetting.start(), caSetting.start(), caSetting.start(),
                    "ca_file is given but no stream uses TLS (main=kafkas://... or feedback=rediss://...)");
        }
        if (mechanismSetting != null && kafka.sasl().isEmpty()) {
            throw invalid(null, mechanismSetting.start(), main.valueStart(), main.valueStart(),
                    "sasl_mechanism needs credentials in main (kafka://USER:PASSWORD@HOST:PORT)");
        }
        return new StreamsUrl(
                kafka,
                redis,
                Optional.ofNullable(settings.get("topics_prefix")).map(this::topicsPrefix),
                Optional.ofNullable(settings.get("group")).map(this::text));
    }

    private Map<String, Setting> settings() {
        int start = skipSpace(0, url.length());
        int end = trimSpace(start, url.length());
        Map<String, Setting> settings = new LinkedHashMap<>();
        int chunkStart = start;
        while (true) {
            int chunkEnd = indexOf('&', chunkStart, end);
            Setting setting = setting(chunkStart, chunkEnd < 0 ? end : chunkEnd);
            if (settings.put(setting.name(), setting) != null) {
                throw invalid(null, setting.start(), setting.start(), setting.valueStart(),
                        "setting '" + setting.name() + "' is given twice");
            }
            if (chunkEnd < 0) {
                return settings;
            }
            chunkStart = chunkEnd + 1;
        }
    }

    private Setting setting(int start, int end) {
        int equals = indexOf('=', start, end);
        if (equals < 0) {
            throw invalid(null, start, start, end,
                    "setting '" + redacted.shown(start, end) + "' has no '=' (expected name=value)");
        }
        int nameStart = skipSpace(start, equals);
        int nameEnd = trimSpace(nameStart, equals);
        String name = url.substring(nameStart, nameEnd);
        if (!SETTINGS.contains(name)) {
            throw invalid(null, nameStart, nameStart, nameEnd, "unknown setting '" + redacted.shown(nameStart, nameEnd)
                    + "' (known: " + String.join(", ", SETTINGS) + ")");
        }
        int valueStart = skipSpace(equals + 1, end);
        int valueEnd = trimSpace(valueStart, end);
        if (valueStart == valueEnd) {
            throw invalid(null, equals + 1, equals, equals, "setting '" + name + "' has an empty value");
        }
        return new Setting(name, nameStart, valueStart, valueEnd);
    }

    private KafkaEndpoint kafka(Setting setting, SaslMechanism mechanism, Optional<CaFile> caFile) {
        String scheme = scheme(setting, List.of("kafka", "kafkas"), "kafka", "the main stream is Kafka: kafka://HOST:PORT or kafkas://HOST:PORT");
        boolean tls = scheme.equals("kafkas");
        int start = setting.valueStart() + scheme.length() + 3;
        int end = setting.valueEnd();
        if (end > start && url.charAt(end - 1) == '/') {
            end--;
        }
        requireHost(setting, scheme, start, end);
        Optional<Credentials> sasl = Optional.empty();
        int serversStart = start;
        int at = indexOf('@', start, end);
        int colon = indexOf(':', start, end);
        if (at >= 0 && (colon < 0 || at < colon)) {
            // The Python library's syntax: USER@PASSWORD:HOST:PORT[,HOST:PORT]
            if (colon < 0) {
                throw invalid("main", at, start, end, "credentials USER@PASSWORD must be followed by ':HOST:PORT'");
            }
            int firstServerEnd = indexOf(',', colon + 1, end);
            String firstServer = url.substring(colon + 1, firstServerEnd < 0 ? end : firstServerEnd).strip();
            if (DIGITS.matcher(firstServer).matches()) {
                throw invalid("main", start, "'" + redacted.shown(start, end) + "' is ambiguous: "
                        + "a user name needs a password. Write the credentials the URI way, "
                        + "kafka://USER:PASSWORD@HOST:PORT, or the Python library's way, kafka://USER@PASSWORD:HOST:PORT "
                        + "(which reads USER@HOST:PORT as password HOST on a host named PORT)");
            }
            sasl = Optional.of(credentials("main", start, at, at + 1, colon));
            serversStart = colon + 1;
        } else if (at >= 0) {
            // URI syntax: USER:PASSWORD@HOST:PORT[,HOST:PORT]; the password may hold a raw '@'.
            int lastAt = url.lastIndexOf('@', end - 1);
            sasl = Optional.of(credentials("main", start, colon, colon + 1, lastAt));
            serversStart = lastAt + 1;
        }
        if (sasl.isPresent() && sasl.get().username().isEmpty()) {
            throw invalid("main", start, start, serversStart, "SASL credentials need a user name");
        }
        List<HostPort> servers = new ArrayList<>();
        int serverStart = serversStart;
        while (true) {
            int comma = indexOf(',', serverStart, end);
            servers.add(hostPort("main", serverStart, comma < 0 ? end : comma, DEFAULT_KAFKA_PORT));
            if (comma < 0) {
                break;
            }
            serverStart = comma + 1;
        }
        return new KafkaEndpoint(servers, tls, sasl, mechanism, tls ? caFile : Optional.empty());
    }

    private RedisEndpoint redis(Setting setting, Optional<CaFile> caFile) {
        String scheme = scheme(setting, REDIS_SCHEMES, "redis", "the feedback stream is Redis: redis://HOST:PORT or "
                + "rediss://HOST:PORT, redis-sentinel://HOST:PORT[,HOST:PORT...]/MASTER_NAME or "
                + "redis-cluster://HOST:PORT[,HOST:PORT...]");
        boolean tls = scheme.startsWith("rediss");
        String kind = scheme.substring(tls ? 6 : 5);
        int start = setting.valueStart() + scheme.length() + 3;
        int end = setting.valueEnd();
        requireHost(setting, scheme, start, end);
        Optional<Credentials> credentials = Optional.empty();
        Optional<Credentials> sentinelCredentials = Optional.empty();
        int serversStart = start;
        int at = url.lastIndexOf('@', end - 1);
        if (at >= start) {
            int firstAt = indexOf('@', start, at);
            if (kind.equals("-sentinel") && firstAt >= 0) {
                // DATA_CREDENTIALS@SENTINEL_CREDENTIALS@: '@' in these passwords must be written %40.
                int thirdAt = indexOf('@', firstAt + 1, at);
                if (thirdAt >= 0) {
                    throw invalid("feedback", thirdAt, start, at, "more than two credentials before the sentinels; "
                            + "a redis-sentinel:// URL takes [[USER]:PASSWORD@][[SENTINEL_USER]:SENTINEL_PASSWORD@], "
                            + "with '@' in a password written %40");
                }
                credentials = firstAt == start ? Optional.empty() : Optional.of(redisCredentials(start, firstAt));
                sentinelCredentials = Optional.of(redisCredentials(firstAt + 1, at));
            } else {
                credentials = Optional.of(redisCredentials(start, at));
            }
            serversStart = at + 1;
        }
        int serversEnd = end;
        int slash = indexOf('/', serversStart, end);
        if (slash >= 0) {
            serversEnd = slash;
        }
        List<HostPort> servers = hostPorts(serversStart, serversEnd,
                kind.equals("-sentinel") ? DEFAULT_SENTINEL_PORT : DEFAULT_REDIS_PORT);
        int pathStart = slash < 0 ? end : slash + 1;
        RedisTopology topology;
        switch (kind) {
            case "-sentinel" -> {
                int nameSlash = indexOf('/', pathStart, end);
                int nameEnd = nameSlash < 0 ? end : nameSlash;
                String masterName = url.substring(pathStart, nameEnd);
                if (!MASTER_NAME.matcher(masterName).matches()) {
                    throw invalid("feedback", pathStart, pathStart, nameEnd, masterName.isEmpty()
                            ? "the master's name is missing: " + scheme + "://HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB]"
                            : "master name '" + redacted.shown(pathStart, nameEnd)
                                    + "' may hold only letters, digits, '.', '_' and '-'");
                }
                topology = new RedisTopology.Sentinel(servers, masterName, sentinelCredentials);
                pathStart = nameEnd == end ? end : nameEnd + 1;
            }
            case "-cluster" -> topology = new RedisTopology.Cluster(servers);
            default -> {
                if (servers.size() > 1) {
                    throw invalid("feedback", serversStart, serversStart, serversEnd, scheme
                            + ":// takes one server; for several write redis-sentinel:// or redis-cluster://");
                }
                topology = new RedisTopology.Single(servers.get(0));
            }
        }
        int database = database(pathStart, end);
        if (database != 0 && topology instanceof RedisTopology.Cluster) {
            throw invalid("feedback", pathStart, pathStart, end, "a Redis Cluster has only database 0");
        }
        return new RedisEndpoint(topology, tls, credentials, database, tls ? caFile : Optional.empty());
    }

    /** A Redis {@code [USER]:PASSWORD} or {@code PASSWORD} between {@code start} and {@code end}. */
    private Credentials redisCredentials(int start, int end) {
        int separator = indexOf(':', start, end);
        return separator < 0
                ? credentials("feedback", start, start, start, end)
                : credentials("feedback", start, separator, separator + 1, end);
    }

    private List<HostPort> hostPorts(int start, int end, int defaultPort) {
        List<HostPort> servers = new ArrayList<>();
        int serverStart = start;
        while (true) {
            int comma = indexOf(',', serverStart, end);
            servers.add(hostPort("feedback", serverStart, comma < 0 ? end : comma, defaultPort));
            if (comma < 0) {
                return servers;
            }
            serverStart = comma + 1;
        }
    }

    /** The database number from {@code start} to {@code end}; 0 when there is none. */
    private int database(int start, int end) {
        if (start >= end) {
            return 0;
        }
        String db = url.substring(start, end);
        if (!DIGITS.matcher(db).matches()) {
            throw invalid("feedback", start, start, end, "database '" + redacted.shown(start, end) + "' is not a number");
        }
        try {
            return Integer.parseInt(db);
        } catch (NumberFormatException e) {
            throw invalid("feedback", start, start, end, "database " + redacted.shown(start, end) + " is too large");
        }
    }

    /** The scheme of a setting's URL, one of {@code allowed}; {@code expected} is the one an error suggests. */
    private String scheme(Setting setting, List<String> allowed, String expected, String explanation) {
        int separator = url.indexOf("://", setting.valueStart());
        if (separator < 0 || separator + 3 > setting.valueEnd()) {
            throw invalid(setting.name(), setting.valueStart(), setting.valueStart(), setting.valueEnd(),
                    "'" + redacted.shown(setting.valueStart(), setting.valueEnd())
                            + "' has no scheme (expected " + expected + "://...)");
        }
        String scheme = url.substring(setting.valueStart(), separator);
        if (!allowed.contains(scheme)) {
            throw invalid(setting.name(), setting.valueStart(), setting.valueStart(), separator,
                    "unknown scheme '" + redacted.shown(setting.valueStart(), separator) + "' (" + explanation + ")");
        }
        return scheme;
    }

    private void requireHost(Setting setting, String scheme, int start, int end) {
        if (start >= end) {
            throw invalid(setting.name(), start, start, start, "no host given after " + scheme + "://");
        }
    }

    private HostPort hostPort(String setting, int start, int end, int defaultPort) {
        start = skipSpace(start, end);
        end = trimSpace(start, end);
        String server = "'" + redacted.shown(start, end) + "'";
        int hostEnd = end;
        int port = defaultPort;
        int colon = url.lastIndexOf(':', end - 1);
        if (colon >= start && url.charAt(end - 1) != ']') {
            hostEnd = colon;
            String portText = url.substring(colon + 1, end);
            String shownPort = redacted.shown(colon + 1, end);
            if (!DIGITS.matcher(portText).matches()) {
                throw invalid(setting, colon + 1, colon + 1, end,
                        "port '" + shownPort + "' of " + server + " is not a number");
            }
            port = portText.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw invalid(setting, colon + 1, colon + 1, end,
                        "port " + shownPort + " of " + server + " is out of range 1-65535");
            }
        }
        if (hostEnd == start) {
            throw invalid(setting, start, start, end, server + " has no host");
        }
        String host = url.substring(start, hostEnd);
        if (!HOST.matcher(host).matches()) {
            throw invalid(setting, start, start, hostEnd,
                    "'" + redacted.shown(start, hostEnd) + "' is not a valid host name");
        }
        return new HostPort(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
    }

    private Credentials credentials(String setting, int userStart, int userEnd, int passwordStart, int passwordEnd) {
        if (passwordStart >= passwordEnd) {
            throw invalid(setting, passwordStart, userStart, passwordEnd, "the password is empty");
        }
        Optional<String> user = userStart == userEnd
                ? Optional.empty()
                : Optional.of(decode(setting, "user name", userStart, userEnd));
        return new Credentials(user, decode(setting, "password", passwordStart, passwordEnd));
    }

    /** Percent-decodes a user name or password; '+' stays '+' (it is no space here). */
    private String decode(String setting, String what, int start, int end) {
        if (indexOf('%', start, end) < 0) {
            return url.substring(start, end);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = start;
        while (i < end) {
            int c = url.codePointAt(i);
            if (c != '%') {
                bytes.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
                continue;
            }
            int high = i + 1 < end ? Character.digit(url.charAt(i + 1), 16) : -1;
            int low = i + 2 < end ? Character.digit(url.charAt(i + 2), 16) : -1;
            if (high < 0 || low < 0) {
                throw invalid(setting, i, i, i + 1, "the " + what + " has a '%' not followed by two hex digits");
            }
            bytes.write(high * 16 + low);
            i += 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(setting, start, start, end, "the " + what + "'s percent-escapes are not UTF-8");
        }
    }

    private SaslMechanism saslMechanism(Setting setting) {
        if (setting == null) {
            return SaslMechanism.PLAIN;
        }
        return SaslMechanism.named(text(setting)).orElseThrow(() -> invalid(null, setting.valueStart(),
                setting.valueStart(), setting.valueEnd(), "sasl_mechanism '" + shownValue(setting) + "' is unknown (known: "
                        + SaslMechanism.names() + ")"));
    }

    private CaFile caFile(Setting setting) {
        if (redacted.touchesCredentials(setting.valueStart(), setting.valueEnd())) {
            // The path runs into what may be a password: don't hand it to the file system's messages.
            throw invalid("ca_file", setting.valueStart(), setting.valueStart(), setting.valueEnd(),
                    "'" + shownValue(setting) + "' is not a readable file");
        }
        try {
            return CaFile.read(Path.of(text(setting)));
        } catch (IllegalArgumentException e) { // InvalidPathException included
            throw invalid("ca_file", setting.valueStart(), setting.valueStart(), setting.valueStart(), e.getMessage());
        }
    }

    private String topicsPrefix(Setting setting) {
        String prefix = text(setting);
        if (!TOPIC_NAME.matcher(prefix).matches()) {
            throw invalid(null, setting.valueStart(), setting.valueStart(), setting.valueEnd(),
                    "topics_prefix '" + shownValue(setting) + "' may hold only letters, digits, '.', '_' and '-' (Kafka topic characters)");
        }
        return prefix;
    }

    private String text(Setting setting) {
        return url.substring(setting.valueStart(), setting.valueEnd());
    }

    private String shownValue(Setting setting) {
        return redacted.shown(setting.valueStart(), setting.valueEnd());
    }

    private int indexOf(char c, int start, int end) {
        int found = url.indexOf(c, start);
        return found >= 0 && found < end ? found : -1;
    }

    private int skipSpace(int start, int end) {
        while (start < end && Character.isWhitespace(url.charAt(start))) {
            start++;
        }
        return start;
    }

    private int trimSpace(int start, int end) {
        while (end > start && Character.isWhitespace(url.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /**
     * The error for a problem at {@code position} (0-based; shown 1-based). When the quoted piece,
     * {@code quotedStart} to {@code quotedEnd}, runs into what may be a credential, a raw special
     * character in a password is the likely cause, and the message says how to encode it.
     */
    private InvalidStreamsUrlException invalid(String setting, int position, int quotedStart, int quotedEnd, String problem) {
        boolean credentialsInvolved = redacted.touchesCredentials(quotedStart, Math.max(quotedEnd, quotedStart + 1));
        return error(setting, position, problem, credentialsInvolved ? ENCODING_HINT : "");
    }

    /** The error for a problem at {@code position} (0-based; shown 1-based). */
    private InvalidStreamsUrlException invalid(String setting, int position, String problem) {
        return error(setting, position, problem, "");
    }

    private InvalidStreamsUrlException error(String setting, int position, String problem, String hint) {
        return new InvalidStreamsUrlException("Invalid streams URL '" + redacted.shown() + "': "
                + (setting == null ? "" : setting + ": ") + problem + " (at character " + (position + 1) + ")" + hint);
    }
}
