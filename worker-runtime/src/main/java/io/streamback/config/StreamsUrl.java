package io.streamback.config;

import java.util.Optional;

/**
 * The streams URL that tells Streamback where its streams live, in the Python library's grammar:
 * {@code main=kafka://HOST:PORT[,HOST:PORT...]&feedback=redis://HOST:PORT[&topics_prefix=P][&group=G]}.
 *
 * <p>Kafka credentials may be written the Python way, {@code kafka://USER@PASSWORD:HOST:PORT},
 * or the URI way, {@code kafka://USER:PASSWORD@HOST:PORT}; both mean SASL/PLAIN unless
 * {@code sasl_mechanism=} names a SCRAM mechanism. {@code kafkas://} speaks TLS to Kafka. Redis
 * takes {@code redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]}, and {@code rediss://} for TLS; a
 * Sentinel-managed primary {@code redis-sentinel://[[USER]:PASSWORD@][[SENTINEL_USER]:SENTINEL_PASSWORD@]HOST[:PORT][,HOST[:PORT]...]/MASTER_NAME[/DB]}
 * (sentinels' port 26379 by default; the first credentials are the data nodes', the second the
 * sentinels'), and a Redis Cluster {@code redis-cluster://[[USER]:PASSWORD@]HOST[:PORT][,HOST[:PORT]...]},
 * each with {@code rediss-} for TLS. The Python library reads only {@code redis://}.
 * {@code ca_file=} names the PEM certificates that TLS trusts instead of the JVM's default ones.
 * The TLS and SCRAM settings are this library's additions to the Python grammar.
 * User names and passwords are percent-decoded. An ambiguous {@code kafka://USER@HOST:PORT}, which
 * the Python syntax would read as a password {@code HOST} and a host {@code PORT}, is refused.
 * {@link #toString()} masks every password, and error messages show the URL only through
 * {@link #redact(String)}.
 */
public record StreamsUrl(
        KafkaEndpoint main,
        Optional<RedisEndpoint> feedback,
        Optional<String> topicsPrefix,
        Optional<String> group) {

    /**
     * Parses a streams URL.
     *
     * @throws InvalidStreamsUrlException naming the bad setting, its position and what is wrong with
     *                                    it; the URL and its pieces appear only with credentials masked
     */
    public static StreamsUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidStreamsUrlException(
                    "Streams URL is empty; expected main=kafka://HOST:PORT[&feedback=redis://HOST:PORT]");
        }
        return new StreamsUrlParser(url).parse();
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

    /**
     * The raw, possibly invalid, streams URL with everything that could be a credential shown as
     * {@code ****}: in each setting, what comes between the scheme's {@code //} and the last
     * {@code @}, and the password of the Python syntax after it. Safe to put in messages and logs.
     */
    public static String redact(String url) {
        return url == null ? "null" : new RedactedUrl(url).shown();
    }
}
