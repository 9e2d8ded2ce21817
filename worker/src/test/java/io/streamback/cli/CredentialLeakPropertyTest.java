package io.streamback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamback.Streamback;
import io.streamback.StreambackApp;
import io.streamback.config.StreamsUrl;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.testkit.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Streams URLs, well-formed and malformed, that carry known secrets in every credential position
 * (Kafka password in the URI and the Python syntax, Redis password and ACL user's password), made of
 * every character class (letters, digits, URL delimiters, quotes, non-ASCII), written raw,
 * percent-encoded, half-encoded or with broken escapes, inside URLs broken in the ways people break
 * them. Each goes through the parser; fewer, for time, also through the CLI's error paths ({@code send}
 * and {@code schedule}, with {@code --streams} and {@code --streams-file}) and the worker's start-up
 * ({@code run}), in this JVM; the
 * secret, any 6 characters of it, and its percent-, base64- and SASL-encoded forms appear in no output.
 * A real worker process at DEBUG, meeting a broker that refuses the secret, is checked the same way.
 */
class CredentialLeakPropertyTest {
    // docs/reliability.md reports these counts.
    static final int PARSER_TRIES = 50_000;
    static final int COMMAND_TRIES = 2_000;
    static final int WORKER_TRIES = 12;
    private static final int PIECE = 6;
    private static final String S1 = "\u0000S1\u0000";
    private static final String S2 = "\u0000S2\u0000";

    private static KafkaBroker saslBroker;
    private static Path files;

    /** A generated streams URL and the secrets in it. */
    record Sample(String url, List<String> secrets, String shape) {
        @Override
        public String toString() {
            return shape + ": " + url;
        }
    }

    /** How a secret is written into the URL. */
    enum Encoding { PERCENT_ENCODED, RAW, HALF_ENCODED, BROKEN_ESCAPE }

    /** How the rest of the URL is broken, if at all. */
    enum Damage {
        NONE, NO_EQUALS, SCHEME_TYPO, ONE_SLASH, BAD_PORT, NO_HOST, UNKNOWN_SETTING, TWICE, TRAILING_AMPERSAND,
        SPACES, NO_PASSWORD
    }

    @BeforeContainer
    static void startBroker() throws IOException {
        saslBroker = KafkaBroker.builder().sasl("PLAIN").user("alice", "the-Right-Password-71").start();
        files = Files.createTempDirectory("streams-files");
    }

    @AfterContainer
    static void stopBroker() throws IOException {
        if (saslBroker != null) {
            saslBroker.close();
        }
        try (var paths = Files.walk(files)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Property(tries = PARSER_TRIES)
    void noParserOutputShowsASecret(@ForAll("urls") Sample sample) {
        assertShowsNoSecret(sample, parserOutput(sample));
    }

    @Property(tries = COMMAND_TRIES)
    void noCommandOutputShowsASecret(@ForAll("urls") Sample sample) throws Exception {
        Map<String, String> seen = parserOutput(sample);
        Path file = Files.createTempFile(files, "streams", ".url",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, sample.url());
        seen.put("send --streams", cli("send", "leak-check", "{}", "--from-group", "g", "--streams", sample.url()));
        seen.put("send --streams-file", cli("send", "leak-check", "{}", "--from-group", "g", "--streams-file", file.toString()));
        seen.put("schedule --streams", cli("schedule", "--http-port", "0", "--streams", sample.url()));
        seen.put("run", captured(() -> new RunCommand(Map.of(
                WorkerEnvironment.STREAMS, sample.url(),
                WorkerEnvironment.APP, "io.streamback.NoSuchApp",
                WorkerEnvironment.HTTP_PORT, "0")).call()));
        Files.delete(file);

        assertShowsNoSecret(sample, seen);
    }

    /** What the parser shows of the URL: its error, with stack trace, or the parsed URL; and the redacted URL. */
    private static Map<String, String> parserOutput(Sample sample) {
        Map<String, String> seen = new LinkedHashMap<>();
        try {
            StreamsUrl parsed = StreamsUrl.parse(sample.url());
            seen.put("parsed", parsed + " " + parsed.main() + " " + parsed.feedback() + " " + parsed.main().sasl());
            Statistics.label("parser").collect("accepted");
        } catch (RuntimeException e) {
            seen.put("parse error", describe(e));
            Statistics.label("parser").collect("refused: " + e.getClass().getSimpleName());
        }
        seen.put("redacted", StreamsUrl.redact(sample.url()));
        return seen;
    }

    @Property(tries = WORKER_TRIES)
    void aWorkerRefusedTheSecretShowsItNowhere(@ForAll("secrets") String secret, @ForAll boolean pythonSyntax)
            throws Exception {
        String encoded = percentEncoded(secret);
        String kafka = saslBroker.bootstrapServers();
        String url = pythonSyntax
                ? "main=kafka://alice@" + encoded + ":" + kafka
                : "main=kafka://alice:" + encoded + "@" + kafka;
        Sample sample = new Sample(url, List.of(secret), pythonSyntax ? "Python syntax" : "URI syntax");

        CliRunner.Result result = CliRunner.fromClasspath(files)
                .env("STREAMBACK_STREAMS", url)
                .env("STREAMBACK_APP", OneListenerApp.class.getName())
                .env("STREAMBACK_HTTP_PORT", "0")
                .env("JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug")
                .run("run");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(RunCommand.FAILED);
        assertThat(result.stderr()).contains("SASL authentication failed for user 'alice'").contains("DEBUG");
        assertShowsNoSecret(sample, Map.of("worker stdout", result.stdout(), "worker stderr", result.stderr()));
    }

    /** A listener app for the worker, so that it connects at start. */
    public static final class OneListenerApp implements StreambackApp {
        @Override
        public String name() {
            return "leak-check";
        }

        @Override
        public void configure(Streamback streamback) {
            streamback.listen("leak-check", (context, message) -> { });
        }
    }

    @Provide
    Arbitrary<String> secrets() {
        Arbitrary<String> letters = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').ofLength(1);
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofLength(1);
        Arbitrary<String> delimiters = Arbitraries.of("&", "@", ":", "/", "#", "?", "%", "=", "+", ",", ";", " ",
                "[", "]", "!", "$", "*", "'", "(", ")", "~", "-", ".", "_");
        Arbitrary<String> quotes = Arbitraries.of("\"", "\\", "`", "{", "}", "<", ">", "|", "^");
        Arbitrary<String> unicode = Arbitraries.of("é", "ß", "Ω", "€", "中", "\u00a0", "😀", "𝄞");
        return Arbitraries.frequencyOf(
                        Tuple.of(4, letters), Tuple.of(2, digits), Tuple.of(3, delimiters), Tuple.of(1, quotes),
                        Tuple.of(1, unicode))
                .list().ofMinSize(8).ofMaxSize(24)
                .map(tokens -> String.join("", tokens))
                // A secret like "aaaaaaaa" would match text that has nothing to do with it.
                .filter(CredentialLeakPropertyTest::varied);
    }

    @Provide
    Arbitrary<Sample> urls() {
        Arbitrary<Integer> kafkaForm = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> redisForm = Arbitraries.integers().between(0, 4);
        return Combinators.combine(secrets(), secrets(), kafkaForm, redisForm,
                        encodings(), damages(), Arbitraries.integers().between(0, 1000))
                .as((secret1, secret2, kafka, redis, encoding, damage, seed) -> {
                    String template = "main=" + switch (kafka) {
                        case 0 -> "kafka://alice:" + S1 + "@127.0.0.1:9092";
                        case 1 -> "kafka://alice@" + S1 + ":localhost:9092";
                        case 2 -> "kafkas://alice:" + S1 + "@k1:9093,k2:9093";
                        default -> "kafka://127.0.0.1:9092";
                    } + switch (redis) {
                        case 0 -> "&feedback=redis://:" + S2 + "@127.0.0.1:6379";
                        case 1 -> "&feedback=rediss://app:" + S2 + "@r:6380/2";
                        case 2 -> "&feedback=redis-sentinel://app:" + S2 + "@:" + S2 + "@s1:26379,s2:26379/mymaster/1";
                        case 3 -> "&feedback=rediss-cluster://app:" + S2 + "@n1:7000,n2:7001";
                        default -> "";
                    } + (kafka == 2 ? "&sasl_mechanism=SCRAM-SHA-512" : "") + "&group=g";
                    String url = damaged(template, damage)
                            .replace(S1, written(secret1, encoding, seed))
                            .replace(S2, written(secret2, encoding, seed + 1));
                    List<String> secrets = new ArrayList<>();
                    if (kafka < 3) {
                        secrets.add(secret1);
                    }
                    if (redis < 4) {
                        secrets.add(secret2);
                    }
                    return new Sample(url, secrets, "kafka form " + kafka + ", redis form " + redis + ", "
                            + encoding + ", " + damage);
                })
                .filter(sample -> !sample.secrets().isEmpty());
    }

    /** Well-formed secrets half of the time, so that the parser accepts about a quarter of the URLs. */
    private static Arbitrary<Encoding> encodings() {
        return Arbitraries.frequency(Tuple.of(4, Encoding.PERCENT_ENCODED), Tuple.of(2, Encoding.RAW),
                Tuple.of(1, Encoding.HALF_ENCODED), Tuple.of(1, Encoding.BROKEN_ESCAPE));
    }

    /** An undamaged URL half of the time. */
    private static Arbitrary<Damage> damages() {
        List<Tuple.Tuple2<Integer, Damage>> weights = new ArrayList<>();
        for (Damage damage : Damage.values()) {
            weights.add(Tuple.of(damage == Damage.NONE ? Damage.values().length - 1 : 1, damage));
        }
        return Arbitraries.frequency(weights.toArray(Tuple.Tuple2[]::new));
    }

    private static String damaged(String template, Damage damage) {
        return switch (damage) {
            case NONE -> template;
            case NO_EQUALS -> template.replaceFirst("=", "");
            case SCHEME_TYPO -> template.replaceFirst("kafka", "kafak").replace("redis", "rdis");
            case ONE_SLASH -> template.replace("://", ":/");
            case BAD_PORT -> template.replace(":9092", ":99999").replace(":9093", ":port").replace(":6379", ":6379x");
            case NO_HOST -> template.replace("127.0.0.1", "").replace("localhost", "").replace("k1", "");
            case UNKNOWN_SETTING -> template + "&bogus=1";
            case TWICE -> template + "&" + template;
            case TRAILING_AMPERSAND -> template + "&";
            case SPACES -> "  " + template.replace("&", " & ") + " ";
            case NO_PASSWORD -> template.replace(":" + S1 + "@", "@").replace("@" + S1 + ":", "@")
                    .replace(":" + S2 + "@", "@");
        };
    }

    /** The secret as written into the URL. */
    private static String written(String secret, Encoding encoding, int seed) {
        return switch (encoding) {
            case PERCENT_ENCODED -> percentEncoded(secret);
            case RAW -> secret;
            case HALF_ENCODED -> {
                StringBuilder out = new StringBuilder();
                int i = 0;
                for (int c : secret.codePoints().toArray()) {
                    String character = new String(Character.toChars(c));
                    out.append((i++ + seed) % 2 == 0 ? percentEncoded(character) : character);
                }
                yield out.toString();
            }
            case BROKEN_ESCAPE -> {
                String encoded = percentEncoded(secret);
                int at = seed % (encoded.length() + 1);
                String broken = List.of("%", "%z", "%zz", "%4", "%C3%28", "%FF", "%%").get(seed % 7);
                yield encoded.substring(0, at) + broken + encoded.substring(at);
            }
        };
    }

    /** Every character that is not unreserved, percent-encoded as UTF-8 ('+' included, space as %20). */
    static String percentEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }

    private static boolean varied(String secret) {
        long distinct = secret.codePoints().distinct().count();
        int classes = 0;
        classes += secret.chars().anyMatch(Character::isLetter) ? 1 : 0;
        classes += secret.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += secret.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
        return distinct >= 5 && classes >= 2;
    }

    /** Runs the CLI in this JVM; what it printed, on stdout and stderr. */
    private static String cli(String... args) {
        return captured(() -> StreambackCli.execute(args));
    }

    private interface Action {
        Object run() throws Exception;
    }

    private static String captured(Action action) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            Object result = action.run();
            capture.println("result: " + result);
        } catch (Exception e) {
            capture.println(describe(e));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The exception as a log shows it: message, causes and stack trace. */
    private static String describe(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static void assertShowsNoSecret(Sample sample, Map<String, String> seen) {
        for (String secret : sample.secrets()) {
            List<String> forms = new ArrayList<>(List.of(secret, percentEncoded(secret),
                    URLEncoder.encode(secret, StandardCharsets.UTF_8),
                    Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
                    Base64.getEncoder().encodeToString(("\u0000alice\u0000" + secret).getBytes(StandardCharsets.UTF_8)),
                    Base64.getEncoder().encodeToString(("\u0000app\u0000" + secret).getBytes(StandardCharsets.UTF_8))));
            for (int i = 0; i + PIECE <= secret.length(); i++) {
                forms.add(secret.substring(i, i + PIECE));
            }
            seen.forEach((where, text) -> {
                for (String form : forms) {
                    assertThat(text).as("%s, for %s, shows %s", where, sample, form).doesNotContain(form);
                }
            });
        }
    }
}
