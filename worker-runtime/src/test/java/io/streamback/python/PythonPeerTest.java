package io.streamback.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.streamback.Streamback;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import io.streamback.listener.Message;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Wire compatibility with the real Python Streamback library (the version pinned in
 * src/test/python/requirements.txt), driven through src/test/python/peer.py on the testkit's
 * broker and Redis. Run with:
 * {@code mvn -pl worker-runtime test -Ppython-peer -Dstreamback.python=$(.ci/python-peer-env)}
 */
@Tag("python-peer")
@StreambackTest
class PythonPeerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Reads what Python's json module writes: NaN and the infinities as bare tokens, integers of any length. */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
            .build()).build();
    private static final Path PYTHON_DIR = Path.of("src/test/python").toAbsolutePath();
    private static final Path LOG_DIR = Path.of("target/python-peer-logs").toAbsolutePath();
    private static final String HOW_TO_RUN = "Set up the interpreter with .ci/python-peer-env (it prints its path) and run "
            + "mvn -pl worker-runtime test -Ppython-peer -Dstreamback.python=\"$(.ci/python-peer-env)\"";
    private static String python;

    private final Testkit testkit;
    private final List<Streamback> javaApps = new ArrayList<>();
    private final List<PythonProcess> pythonListeners = new ArrayList<>();

    PythonPeerTest(Testkit testkit) {
        this.testkit = testkit;
    }

    @BeforeAll
    static void findPythonStreamback() throws Exception {
        String property = System.getProperty("streamback.python");
        if (property == null || property.isBlank() || property.startsWith("${")) {
            fail("System property streamback.python (a Python with the streamback library) is not set. " + HOW_TO_RUN);
        }
        String pinned = Files.readAllLines(PYTHON_DIR.resolve("requirements.txt")).stream()
                .filter(line -> line.startsWith("streamback=="))
                .map(line -> line.substring("streamback==".length()).trim())
                .findFirst().orElseThrow();
        python = property;
        try (PythonProcess check = PythonProcess.start("version-check", List.of(python, "-c",
                "import streamback; from importlib.metadata import version; print(version('streamback'))"))) {
            Finished finished = check.awaitExit(Duration.ofSeconds(30));
            if (finished.exitCode() != 0 || !finished.lines().equals(List.of(pinned))) {
                fail("The Python at " + python + " has no streamback " + pinned + " (exit " + finished.exitCode()
                        + ", printed " + finished.lines() + "; " + check.stderrTail() + "). " + HOW_TO_RUN);
            }
        } catch (IOException e) {
            fail("Cannot run the Python at " + python + ": " + e.getMessage() + ". " + HOW_TO_RUN);
        }
    }

    @AfterEach
    void closeApps() {
        pythonListeners.forEach(PythonProcess::close);
        pythonListeners.clear();
        javaApps.forEach(Streamback::close);
        javaApps.clear();
    }

    @Nested
    class PythonProducerToJavaListener {
        private String topic;
        private String pythonApp;

        @BeforeEach
        void setUp() {
            topic = topic("py-to-java");
            pythonApp = Testkit.uniqueName("python-producer");
        }

        @Test
        void pythonReadsOneReplyWhichEchoesWhatJavaReceived() throws Exception {
            started(javaApp(Testkit.uniqueName("java-consumer"), "").listen(topic, (context, message) ->
                    message.respond(Map.of("echo", message.value(), "source_group", message.sourceGroup().orElse("?"),
                            "key", message.key().orElse("?"), "text", "Gr\u00fc\u00dfe from Java \u2713"))));

            List<JsonNode> lines = pythonSend(pythonApp, "", topic, "{\"something\": \"Hello w\\u00f6rld!\"}",
                    "--key", "customer-7", "--read");

            assertThat(lines).containsExactly(json("{\"reply\": {\"echo\": {\"something\": \"Hello w\u00f6rld!\"}, "
                    + "\"source_group\": \"" + pythonApp + "\", \"key\": \"customer-7\", "
                    + "\"text\": \"Gr\u00fc\u00dfe from Java \u2713\"}}"));
        }

        @Test
        void pythonReadWithNoReplyEndsInAFeedbackTimeoutAfterItsTimeout() throws Exception {
            // No listener: the read must end in the library's own FeedbackTimeout once its 8 s are up,
            // past the 5 s socket timeout some redis-py releases default to (which fail the BRPOP instead).
            long start = System.nanoTime();
            List<JsonNode> lines = pythonSend(pythonApp, "", topic, "{}", "--read", "--timeout", "8");

            assertThat(lines).containsExactly(json("{\"timeout\": true}"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
        }

        @Test
        void numbersAsPythonWritesThemReachJavaAndComeBackUnchanged() throws Exception {
            started(javaApp(Testkit.uniqueName("java-consumer"), "").listen(topic, (context, message) -> {
                JsonNode value = message.value();
                message.respond(Map.of("echo", value, "seen", List.of(
                        value.get("nan").isDouble() && Double.isNaN(value.get("nan").doubleValue()),
                        value.get("inf").doubleValue() == Double.POSITIVE_INFINITY,
                        value.get("ninf").doubleValue() == Double.NEGATIVE_INFINITY,
                        value.get("big").bigIntegerValue().toString().length())));
            }));
            String big = "7".repeat(4000);

            List<JsonNode> lines = pythonSend(pythonApp, "", topic,
                    "{\"nan\": NaN, \"inf\": Infinity, \"ninf\": -Infinity, \"big\": " + big + "}", "--read");

            assertThat(lines).hasSize(1);
            JsonNode reply = lines.get(0).get("reply");
            assertThat(reply.get("seen")).isEqualTo(json("[true, true, true, 4000]"));
            assertThat(reply.get("echo").get("nan").doubleValue()).isNaN();
            assertThat(reply.get("echo").get("inf").doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(reply.get("echo").get("ninf").doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(reply.get("echo").get("big").bigIntegerValue()).isEqualTo(new BigInteger(big));
        }

        @Test
        void pythonStreamsJavaRepliesInOrderUntilTheEnd() throws Exception {
            started(javaApp(Testkit.uniqueName("java-consumer"), "").listen(topic, (context, message) -> {
                for (int i = 0; i < 5; i++) {
                    message.respond(message.value().get("text").asText() + " #" + i);
                }
            }));

            List<JsonNode> lines = pythonSend(pythonApp, "", topic, "{\"text\": \"Hello\"}", "--stream");

            assertThat(lines).containsExactlyElementsOf(Stream.concat(
                    IntStream.range(0, 5).mapToObj(i -> json("{\"reply\": \"Hello #" + i + "\"}")),
                    Stream.of(json("{\"end\": true}"))).toList());
        }

        @Test
        void javaListenerErrorReachesPythonAsFeedbackError() throws Exception {
            started(javaApp(Testkit.uniqueName("java-consumer"), "").listen(topic, (context, message) -> {
                message.respond("partial");
                throw new IllegalStateException("boom");
            }));

            List<JsonNode> lines = pythonSend(pythonApp, "", topic, "{}", "--stream");

            assertThat(lines).containsExactly(json("{\"reply\": \"partial\"}"),
                    json("{\"error\": \"IllegalStateException: boom\"}"));
        }

        @Test
        void oneWayPythonMessageReachesJavaListener() throws Exception {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            started(javaApp(Testkit.uniqueName("java-consumer"), "").listen(topic, (context, message) -> received.add(message)));

            List<JsonNode> lines = pythonSend(pythonApp, "", topic,
                    "{\"n\": 42, \"text\": \"h\\u00e9llo \\u2713\", \"list\": [1, null, true], \"nested\": {\"x\": 1.5}}",
                    "--one-way");

            assertThat(lines).as("a one-way send prints nothing").isEmpty();
            Message message = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).as("the Java listener got the Python message").isNotNull();
            assertThat(message.value()).isEqualTo(
                    json("{\"n\": 42, \"text\": \"h\u00e9llo \u2713\", \"list\": [1, null, true], \"nested\": {\"x\": 1.5}}"));
            assertThat(message.sourceGroup()).contains(pythonApp);
            assertThat(message.feedbackTopic().orElseThrow()).matches("streamback_feedback_[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
            assertThat(message.key()).isEmpty();
            assertThat(message.topic()).isEqualTo(topic);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class JavaProducerToPythonListener {
        private final String pythonApp = Testkit.uniqueName("python-consumer");
        private final String replyTopic = topic("java-to-py-reply");
        private final String streamTopic = topic("java-to-py-stream");
        private final String errorTopic = topic("java-to-py-error");
        private final String recordTopic = topic("java-to-py-record");
        private Path recorded;
        private PythonProcess listener;
        private Streamback producer;

        /** One Python listener process serves every test of this group, one topic per behaviour. */
        @BeforeAll
        void startPythonListener() throws Exception {
            recorded = Files.createDirectories(LOG_DIR).resolve(pythonApp + "-received.jsonl");
            listener = pythonListen(pythonApp, "",
                    "--topic", replyTopic, "--behaviour", "reply",
                    "--topic", streamTopic, "--behaviour", "stream", "--count", "4",
                    "--topic", errorTopic, "--behaviour", "error",
                    "--topic", recordTopic, "--behaviour", "record", "--out", recorded.toString());
        }

        @AfterAll
        void stopPythonListener() {
            if (listener != null) {
                listener.close();
            }
        }

        @BeforeEach
        void setUp() {
            producer = javaApp(Testkit.uniqueName("java-producer"), "");
        }

        @Test
        void javaReadsOneReplyWhichEchoesWhatPythonReceived() {
            Optional<JsonNode> reply = producer.send(replyTopic, Map.of("something", "Hello w\u00f6rld \u2713"), "key-1").read(WAIT).map(Reply::value);

            assertThat(reply).contains(json("{\"echo\": {\"something\": \"Hello w\u00f6rld \u2713\"}, \"topic\": \""
                    + replyTopic + "\", \"source_group\": \"" + producer.name() + "\", \"key\": \"key-1\"}"));
        }

        @Test
        void nonFiniteNumbersFromJavaReachPythonAsFloats() {
            Optional<JsonNode> reply = producer.send(replyTopic,
                    Map.of("nan", Double.NaN, "inf", Double.POSITIVE_INFINITY, "ninf", Double.NEGATIVE_INFINITY)).read(WAIT).map(Reply::value);

            // Python's echo holds floats: had Java sent the strings "NaN", they would come back as strings.
            JsonNode echo = reply.orElseThrow().get("echo");
            assertThat(echo.get("nan").isDouble()).as("nan is a number: %s", echo).isTrue();
            assertThat(echo.get("nan").doubleValue()).isNaN();
            assertThat(echo.get("inf").doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(echo.get("ninf").doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
        }

        @Test
        void javaStreamsPythonRepliesInOrderUntilTheEnd() {
            FeedbackLane lane = producer.send(streamTopic, Map.of("text", "Hello"));

            assertThat(lane.stream(WAIT).map(Reply::value).map(JsonNode::asText))
                    .containsExactly("Hello #0", "Hello #1", "Hello #2", "Hello #3");
            assertThat(lane.isEnded()).isTrue();
        }

        @Test
        void pythonListenerErrorReachesJavaAsFeedbackErrorException() {
            FeedbackLane lane = producer.send(errorTopic, Map.of());

            assertThatThrownBy(() -> lane.read(WAIT))
                    .isInstanceOfSatisfying(FeedbackErrorException.class, error -> {
                        assertThat(error.error()).isEqualTo("Exception('boom')");
                        assertThat(error.sourceGroup()).contains(pythonApp);
                    });
        }

        @Test
        void pythonListenerThatDoesNotReplyGivesEmpty() {
            assertThat(producer.send(recordTopic, Map.of("id", Testkit.uniqueName("read"))).read(WAIT)).isEmpty();
        }

        @Test
        void oneWayJavaMessageReachesPythonListener() throws Exception {
            String id = Testkit.uniqueName("one-way");
            FeedbackLane lane = producer.send(recordTopic, Map.of("id", id, "text", "h\u00e9llo \u2713", "n", 42), "key-2");
            lane.sent().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            JsonNode received = await("the Python listener writes the message to " + recorded).atMost(WAIT)
                    .until(() -> recordedWithId(id), Optional::isPresent).orElseThrow();

            assertThat(received.get("value")).isEqualTo(json("{\"id\": \"" + id + "\", \"text\": \"h\u00e9llo \u2713\", \"n\": 42}"));
            assertThat(received.get("source_group").asText()).isEqualTo(producer.name());
            assertThat(received.get("topic").asText()).isEqualTo(recordTopic);
            assertThat(received.get("key").asText()).isEqualTo("key-2");
            assertThat(received.get("feedback_topic").asText()).isEqualTo(lane.feedbackTopic());
        }

        private Optional<JsonNode> recordedWithId(String id) throws IOException {
            if (!Files.exists(recorded)) {
                return Optional.empty();
            }
            return Files.readAllLines(recorded).stream()
                    .filter(line -> line.endsWith("}"))
                    .map(PythonPeerTest::json)
                    .filter(line -> id.equals(line.path("value").path("id").asText()))
                    .findFirst();
        }
    }

    @Nested
    class KeyedMessages {
        @Test
        void javaPutsEachKeyOnThePartitionPythonPutsItOn() throws Exception {
            String topic = Testkit.uniqueName("keyed");
            testkit.kafka().createTopic(topic, 6);
            List<String> keys = new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> "customer-" + i).toList());
            keys.addAll(List.of("Gr\u00fc\u00dfe", "\u043a\u043b\u044e\u0447", "\u9375", "\ud83d\udd11 key", "a", " ",
                    "with space", "x".repeat(300), "0", "tab\there"));

            List<JsonNode> printed = pythonSend(Testkit.uniqueName("python-producer"), "", topic, "null",
                    "--keys", JSON.writeValueAsString(keys));
            assertThat(printed).isEmpty();
            try (Streamback java = Streamback.create(Testkit.uniqueName("java-producer"), testkit.streamsUrl())) {
                keys.forEach(key -> java.send(topic, Map.of("key", key, "from", "java"), key));
            }

            Map<String, Map<String, Integer>> partitionOf = Map.of("python", new HashMap<>(), "java", new HashMap<>());
            List<ConsumerRecord<String, byte[]>> records = testkit.kafka().readRecords(topic, 2 * keys.size(), WAIT);
            assertThat(records).hasSize(2 * keys.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                JsonNode value = JSON.readTree(record.value()).get("value");
                partitionOf.get(value.get("from").asText()).put(value.get("key").asText(), record.partition());
            }
            assertThat(partitionOf.get("python")).hasSize(keys.size());
            assertThat(partitionOf.get("java")).isEqualTo(partitionOf.get("python"));
            assertThat(Set.copyOf(partitionOf.get("java").values())).as("partitions used").hasSizeGreaterThan(3);
        }
    }

    @Nested
    class TopicsPrefix {
        @Test
        void bothSidesWithTheSamePrefixUseThePrefixedTopics() throws Exception {
            String prefix = Testkit.uniqueName("env");
            String settings = "&topics_prefix=" + prefix;
            String toPython = Testkit.uniqueName("to-python");
            String toJava = Testkit.uniqueName("to-java");
            testkit.kafka().createTopic(prefix + "." + toPython, 1);
            testkit.kafka().createTopic(prefix + "." + toJava, 1);
            pythonListeners.add(pythonListen(Testkit.uniqueName("python-consumer"), settings,
                    "--topic", toPython, "--behaviour", "reply"));
            started(javaApp(Testkit.uniqueName("java-consumer"), settings)
                    .listen(toJava, (context, message) -> message.respond(message.topic())));
            Streamback javaProducer = javaApp(Testkit.uniqueName("java-producer"), settings);

            Optional<JsonNode> fromPython = javaProducer.send(toPython, Map.of("x", 1)).read(WAIT).map(Reply::value);
            List<JsonNode> fromJava = pythonSend(Testkit.uniqueName("python-producer"), settings, toJava, "{}", "--read");

            assertThat(fromPython).map(reply -> reply.get("topic").asText()).contains(prefix + "." + toPython);
            assertThat(fromJava).containsExactly(json("{\"reply\": \"" + prefix + "." + toJava + "\"}"));
        }
    }

    @Nested
    class FromGroup {
        @Test
        void eachSideReadsOnlyTheRepliesOfTheGroupItAsksFor() throws Exception {
            String topic = topic("from-group");
            String javaConsumer = Testkit.uniqueName("java-consumer");
            String pythonConsumer = Testkit.uniqueName("python-consumer");
            started(javaApp(javaConsumer, "").listen(topic, (context, message) -> {
                message.respond("from java 1");
                message.respond("from java 2");
            }));
            pythonListeners.add(pythonListen(pythonConsumer, "", "--topic", topic, "--behaviour", "reply"));
            Streamback javaProducer = javaApp(Testkit.uniqueName("java-producer"), "");
            String pythonProducer = Testkit.uniqueName("python-producer");

            Optional<JsonNode> javaReadsPython = javaProducer.send(topic, Map.of("q", 1)).read(pythonConsumer, WAIT, JsonNode.class).map(Reply::value);
            List<JsonNode> javaStreamsPython = javaProducer.send(topic, Map.of("q", 2)).stream(pythonConsumer, WAIT, JsonNode.class).map(Reply::value).toList();
            List<JsonNode> pythonReadsJava = pythonSend(pythonProducer, "", topic, "{\"q\": 3}", "--read", "--from-group", javaConsumer);
            List<JsonNode> pythonStreamsJava = pythonSend(pythonProducer, "", topic, "{\"q\": 4}", "--stream", "--from-group", javaConsumer);

            assertThat(javaReadsPython).map(reply -> reply.get("echo")).contains(json("{\"q\": 1}"));
            assertThat(javaStreamsPython).singleElement().satisfies(reply -> {
                assertThat(reply.get("echo")).isEqualTo(json("{\"q\": 2}"));
                assertThat(reply.get("source_group").asText()).isEqualTo(javaProducer.name());
            });
            assertThat(pythonReadsJava).containsExactly(json("{\"reply\": \"from java 1\"}"));
            assertThat(pythonStreamsJava).containsExactly(json("{\"reply\": \"from java 1\"}"),
                    json("{\"reply\": \"from java 2\"}"), json("{\"end\": true}"));
        }
    }

    /** Tracing on the Java side: the Python library neither sends nor reads trace headers, and needs not. */
    @Nested
    class Traced {
        private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
        private final SdkTracerProvider tracerProvider =
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        private final OpenTelemetry openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();

        @AfterEach
        void closeTracing() {
            tracerProvider.close();
        }

        @Test
        void aPythonProducersMessageStartsANewTraceAtTheJavaListener() throws Exception {
            String topic = topic("py-to-traced-java");
            started(javaApp(Testkit.uniqueName("java-consumer"), "", openTelemetry)
                    .listen(topic, (context, message) -> message.respond("traced")));

            List<JsonNode> lines = pythonSend(Testkit.uniqueName("python-producer"), "", topic, "{}", "--stream");

            assertThat(lines).containsExactly(json("{\"reply\": \"traced\"}"), json("{\"end\": true}"));
            SpanData process = span("process " + topic);
            assertThat(process.getParentSpanContext().isValid()).as("no parent: a new trace").isFalse();
            assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(process.getEvents()).extracting(EventData::getName).containsExactly("streamback.respond");
            assertThat(span("end " + topic).getParentSpanId()).isEqualTo(process.getSpanId());
        }

        @Test
        void aTracedJavaProducersMessageReachesThePythonListenerUnchanged() throws Exception {
            String topic = topic("traced-java-to-py");
            String pythonApp = Testkit.uniqueName("python-consumer");
            pythonListeners.add(pythonListen(pythonApp, "", "--topic", topic, "--behaviour", "reply"));
            Streamback producer = javaApp(Testkit.uniqueName("java-producer"), "", openTelemetry);

            FeedbackLane lane = producer.send(topic, Map.of("something", "Hello w\u00f6rld"), "key-1");
            Optional<JsonNode> reply = lane.read(WAIT).map(Reply::value);

            assertThat(reply).contains(json("{\"echo\": {\"something\": \"Hello w\u00f6rld\"}, \"topic\": \""
                    + topic + "\", \"source_group\": \"" + producer.name() + "\", \"key\": \"key-1\"}"));
            SpanData send = span("send " + topic);
            SpanData read = span("read " + topic);
            assertThat(read.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(read.getAttributes().get(AttributeKey.stringKey("streamback.outcome"))).isEqualTo("reply");
            assertThat(read.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        }

        private SpanData span(String name) {
            return await("span " + name).atMost(WAIT)
                    .until(() -> exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
        }
    }

    // ---- helpers

    private String topic(String prefix) {
        String topic = Testkit.uniqueName(prefix);
        testkit.kafka().createTopic(topic, 1);
        return topic;
    }

    private Streamback javaApp(String name, String extraSettings) {
        return javaApp(name, extraSettings, OpenTelemetry.noop());
    }

    private Streamback javaApp(String name, String extraSettings, OpenTelemetry openTelemetry) {
        Streamback streamback = Streamback.builder(name)
                .streams(testkit.streamsUrl() + extraSettings)
                .feedbackTimeout(WAIT)
                .openTelemetry(openTelemetry)
                .build();
        javaApps.add(streamback);
        return streamback;
    }

    private static Streamback started(Streamback streamback) throws Exception {
        streamback.startAsync().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return streamback;
    }

    /** Starts {@code peer.py listen} and returns once it has registered its listeners. */
    private PythonProcess pythonListen(String app, String extraSettings, String... options) throws Exception {
        PythonProcess process = PythonProcess.start(app, peer("listen", app, extraSettings, options));
        try {
            process.awaitLine("READY", WAIT);
            return process;
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    /** Runs {@code peer.py send} to its end; returns the JSON lines it printed. */
    private List<JsonNode> pythonSend(String app, String extraSettings, String topic, String valueJson, String... options)
            throws Exception {
        List<String> command = peer("send", app, extraSettings, "--topic", topic, "--value", valueJson,
                "--timeout", String.valueOf(WAIT.toSeconds()));
        command.addAll(List.of(options));
        try (PythonProcess process = PythonProcess.start(app, command)) {
            Finished finished = process.awaitExit(WAIT.plusSeconds(30));
            assertThat(finished.exitCode()).as("exit code of %s; %s", command, process.stderrTail()).isZero();
            return finished.lines().stream().filter(line -> line.startsWith("{")).map(PythonPeerTest::json).toList();
        }
    }

    private List<String> peer(String mode, String app, String extraSettings, String... options) {
        List<String> command = new ArrayList<>(List.of(python, "-u", PYTHON_DIR.resolve("peer.py").toString(), mode,
                "--name", app, "--streams", testkit.streamsUrl() + extraSettings));
        command.addAll(List.of(options));
        return command;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + text, e);
        }
    }

    record Finished(int exitCode, List<String> lines) {
    }

    /**
     * A Python child process: stdout lines are collected by a reader thread, stderr goes to a log
     * file under target/python-peer-logs. Closing ends it and every process it forked.
     */
    static final class PythonProcess implements AutoCloseable {
        /** Put in the queue when stdout closes; compared by identity, so no printed line can be mistaken for it. */
        @SuppressWarnings("StringOperationCanBeSimplified")
        private static final String EOF = new String("<end of output>");

        private final Process process;
        private final Path stderr;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private PythonProcess(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(this::readStdout, "python-peer-stdout-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        static PythonProcess start(String name, List<String> command) throws IOException {
            Path log = Files.createDirectories(LOG_DIR).resolve(name + "-" + System.nanoTime() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(log.toFile());
            builder.environment().put("PYTHONIOENCODING", "utf-8");
            return new PythonProcess(builder.start(), log);
        }

        private void readStdout() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process was ended: its output ends here
            } finally {
                lines.add(EOF);
            }
        }

        /** Waits for a line equal to {@code expected}, failing when the output ends or the deadline passes first. */
        void awaitLine(String expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("No line '" + expected + "' from the Python peer within " + timeout + "; " + stderrTail());
                }
                if (line == EOF) {
                    fail("The Python peer ended (exit " + process.waitFor() + ") without printing '" + expected + "'; "
                            + stderrTail());
                }
                if (line.equals(expected)) {
                    return;
                }
            }
        }

        /** Waits for the process to exit and for its whole output. */
        Finished awaitExit(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> output = new ArrayList<>();
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("The Python peer did not finish within " + timeout + "; printed " + output + "; " + stderrTail());
                }
                if (line == EOF) {
                    break;
                }
                output.add(line);
            }
            try {
                return new Finished(process.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        .exitValue(), output);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("The Python peer closed its output but did not exit; " + stderrTail(), e);
            }
        }

        String stderrTail() {
            try {
                List<String> all = Files.readAllLines(stderr);
                return "stderr (" + stderr + "):\n" + String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
            } catch (IOException e) {
                return "no stderr (" + e + ")";
            }
        }

        /** Ends the process and everything it forked (Python Streamback forks one child per listener group). */
        @Override
        public void close() {
            List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
            family.add(process.toHandle());
            family.forEach(ProcessHandle::destroy);
            if (!exited(family, Duration.ofSeconds(10))) {
                family.forEach(ProcessHandle::destroyForcibly);
                if (!exited(family, Duration.ofSeconds(10))) {
                    throw new IllegalStateException("Python peer processes still alive: "
                            + family.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
                }
            }
        }

        private static boolean exited(List<ProcessHandle> family, Duration timeout) {
            try {
                CompletableFuture.allOf(family.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
