package io.streamback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.streamback.StreamUnavailableException;
import io.streamback.Streamback;
import io.streamback.config.InvalidStreamsUrlException;
import io.streamback.config.StreamsUrl;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.FeedbackTimeoutException;
import io.streamback.feedback.Reply;
import io.streamback.internal.config.InvalidConfigurationException;
import io.streamback.internal.tracing.StreambackTracing;
import io.streamback.internal.tracing.TraceParent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamback send}: sends one message, and prints the replies when asked to. */
@Command(name = "send",
        mixinStandardHelpOptions = true,
        versionProvider = StreambackCli.Version.class,
        description = {
                "Sends one message, and prints its replies when asked to.",
                "",
                "Sends VALUE_JSON to TOPIC. --wait prints the first reply, --stream every reply",
                "until the listeners finish: each as one JSON line on stdout (logs go to stderr)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
                "0:sent (and the replies printed)",
                "1:Kafka or Redis unreachable",
                "2:usage error: bad option, JSON, duration or streams URL (the message says what and where)",
                "3:timeout: Kafka did not take the message, or no reply came, in time",
                "4:the listener reported an error (its text on stderr)"})
final class SendCommand implements Callable<Integer> {
    static final int TIMEOUT = 3;
    static final int LISTENER_FAILED = 4;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to send to.")
    private String topic;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE_JSON", converter = JsonConverter.class,
            description = "The message value, as JSON (default: null).")
    private JsonNode value;

    @Option(names = "--key", paramLabel = "K", description = "The record key: messages with one key stay in order.")
    private String key;

    @Mixin
    private StreamsOption streams;

    @Option(names = "--name", paramLabel = "APP",
            description = "The application sending (source_group) (default: $STREAMBACK_NAME, else "
                    + StreamsOption.DEFAULT_APP_NAME + ").")
    private String name;

    @ArgGroup(exclusive = true)
    private Replies replies;

    @Option(names = "--from-group", paramLabel = "G", description = "Only the replies of application G.")
    private String fromGroup;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long Kafka may take to acknowledge the message and, with --stream, "
                    + "each reply may take (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    /** What to print: nothing, the first reply, or all of them. */
    static final class Replies {
        @Option(names = "--wait", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
                description = "Print the first reply, waiting up to DURATION (e.g. 500ms, 10s, 2m, PT10S).")
        private Duration wait;

        @Option(names = "--stream", required = true,
                description = "Print every reply until the listeners finish, each waited for up to --timeout.")
        private boolean stream;
    }

    @Override
    public Integer call() {
        // Stdout carries the replies alone, so that they can be piped (to jq, say); log lines go to
        // stderr meanwhile. Logback (in streamback.jar) writes to whatever System.out is at the time.
        PrintStream replyOut = System.out;
        System.setOut(System.err);
        try {
            return send(replyOut);
        } finally {
            System.setOut(replyOut);
        }
    }

    private int send(PrintStream replyOut) {
        String url;
        try {
            url = streams.url();
        } catch (InvalidConfigurationException | InvalidStreamsUrlException e) {
            return usageError(e.getMessage());
        }
        if (fromGroup != null && replies == null) {
            return usageError("--from-group needs --wait or --stream");
        }
        if (replies != null && StreamsUrl.parse(url).feedback().isEmpty()) {
            return usageError((replies.stream ? "--stream" : "--wait") + " needs the feedback stream: "
                    + "add feedback=redis://HOST:PORT to the streams URL");
        }
        // A caller's TRACEPARENT makes the message part of its trace, with or without the Java agent.
        Optional<Context> caller = TraceParent.fromEnvironment(System.getenv());
        Streamback.Builder builder = Streamback.builder(StreamsOption.appName(name)).streams(url);
        caller.ifPresent(context -> builder.openTelemetry(TraceParent.propagatingAtLeast(StreambackTracing.globalOpenTelemetry())));
        try (Streamback streamback = builder.build();
             Scope ignored = caller.orElse(Context.current()).makeCurrent()) {
            FeedbackLane lane = streamback.send(topic, value, key);
            lane.sent().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (replies != null && replies.stream) {
                lane.stream(fromGroup, timeout, JsonNode.class).forEach(reply -> printReply(replyOut, reply));
            } else if (replies != null) {
                lane.read(fromGroup, replies.wait, JsonNode.class).ifPresent(reply -> printReply(replyOut, reply));
            }
            return 0;
        } catch (TimeoutException e) {
            return failure(TIMEOUT, "Kafka did not acknowledge the message to topic '" + topic + "' within "
                    + timeout.toMillis() + " ms");
        } catch (FeedbackTimeoutException e) {
            return failure(TIMEOUT, e.getMessage());
        } catch (FeedbackErrorException e) {
            return failure(LISTENER_FAILED, e.getMessage());
        } catch (StreamUnavailableException e) {
            return failure(RunCommand.FAILED, e.getMessage());
        } catch (ExecutionException e) {
            return failure(RunCommand.FAILED, "Could not send to topic '" + topic + "': " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(RunCommand.FAILED, "Interrupted");
        }
    }

    /** One JSON document per line: a null reply prints {@code null}, the end prints nothing. */
    private static void printReply(PrintStream out, Reply<JsonNode> reply) {
        out.println(reply.value() == null ? "null" : reply.value().toString());
    }

    private static int usageError(String message) {
        return failure(StreambackCli.USAGE, message);
    }

    private static int failure(int exitCode, String message) {
        System.err.println("streamback send: " + message);
        return exitCode;
    }
}
