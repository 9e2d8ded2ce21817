package io.streamback.cli;

import io.streamback.config.StreamsUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code streamback} command: {@code java -jar streamback.jar <command>}. Exit codes are
 * documented per command; 2 always means a usage or configuration error.
 */
@Command(name = "streamback",
        mixinStandardHelpOptions = true,
        versionProvider = StreambackCli.Version.class,
        description = "Two-way streams for microservices: Kafka main stream, Redis feedback stream.",
        subcommands = {RunCommand.class, SendCommand.class, ScheduleCommand.class})
public final class StreambackCli implements Runnable {
    /** Usage or configuration error: the message says what and where. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code, without exiting. */
    public static int execute(String... args) {
        if (args.length == 1 && "run".equals(args[0])) {
            return runWorker();
        }
        return new CommandLine(new StreambackCli())
                .setExitCodeExceptionMapper(error -> USAGE)
                .setParameterExceptionHandler(StreambackCli::badArguments)
                .execute(args);
    }

    /**
     * {@code streamback run} alone, the image's command, without picocli: it has no options to parse
     * besides --help and --version, which still go through picocli, and picocli's model of the whole
     * CLI is about 175 classes an idle worker would keep loaded. Mirrors what picocli does with the
     * command: its exit code, or for an exception the stack trace on stderr and {@link #USAGE}.
     */
    private static int runWorker() {
        try {
            return new RunCommand().call();
        } catch (RuntimeException e) {
            e.printStackTrace();
            return USAGE;
        }
    }

    /**
     * Picocli's message for arguments it can't use, with anything that could be a credential masked:
     * it quotes the arguments, and a mistyped option can leave a streams URL among them.
     */
    private static int badArguments(CommandLine.ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        PrintWriter err = command.getErr();
        // Picocli's own words come before the first quoted argument; what follows is redacted.
        String message = String.valueOf(error.getMessage());
        int quote = message.indexOf('\'') + 1;
        err.println(message.substring(0, quote) + StreamsUrl.redact(message.substring(quote)));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return USAGE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The project version, from the jar's build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = StreambackCli.class.getResourceAsStream("/io/streamback/version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"streamback " + properties.getProperty("version", "unknown")};
        }
    }
}
