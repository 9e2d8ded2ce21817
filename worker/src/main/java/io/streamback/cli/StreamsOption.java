package io.streamback.cli;

import io.streamback.config.StreamsUrl;
import io.streamback.internal.config.InvalidConfigurationException;
import io.streamback.internal.config.WorkerEnvironment;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the commands that talk to the streams get the streams URL: {@code --streams URL}, else
 * {@code --streams-file FILE}, else STREAMBACK_STREAMS. A URL on the command line is visible to every
 * local user in the process list, so a password there draws a warning; the file must be private.
 */
final class StreamsOption {
    /** The application name when neither an option nor STREAMBACK_NAME gives one. */
    static final String DEFAULT_APP_NAME = "streamback-cli";
    /** A streams URL is a line; anything much longer is not one. */
    private static final long MAX_FILE_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> SHARED = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--streams", paramLabel = "URL",
            description = "Where the streams are: main=kafka://HOST:PORT[&feedback=redis://HOST:PORT]... "
                    + "Every local user can read it in the process list: keep passwords in --streams-file "
                    + "or $" + WorkerEnvironment.STREAMS + " (default: $" + WorkerEnvironment.STREAMS + ").")
    private String url;

    @Option(names = "--streams-file", paramLabel = "FILE",
            description = "Reads the streams URL from FILE, which no one but its owner may read or write (chmod 600).")
    private Path file;

    /**
     * The streams URL, checked, with STREAMBACK_CA_FILE as its ca_file when it uses TLS and names none.
     *
     * @throws InvalidConfigurationException when there is none, or the file can't be used
     * @throws io.streamback.config.InvalidStreamsUrlException naming the bad part (credentials masked)
     */
    String url() {
        if (url != null && file != null) {
            throw new InvalidConfigurationException("Give --streams or --streams-file, not both");
        }
        if (url != null && !StreamsUrl.redact(url).equals(url)) {
            System.err.println("streamback " + command.name() + ": warning: the streams URL given with --streams "
                    + "holds credentials, which every local user can read in the process list; use --streams-file "
                    + "FILE (chmod 600) or " + WorkerEnvironment.STREAMS + " instead");
        }
        String given = Optional.ofNullable(url)
                .or(() -> Optional.ofNullable(file).map(StreamsOption::read))
                .or(() -> environment(WorkerEnvironment.STREAMS))
                .orElseThrow(() -> new InvalidConfigurationException("No streams URL: pass --streams-file FILE or "
                        + "--streams URL, or set " + WorkerEnvironment.STREAMS
                        + ", e.g. main=kafka://kafka:9092&feedback=redis://redis:6379"));
        return WorkerEnvironment.withCaFile(given, environment(WorkerEnvironment.CA_FILE));
    }

    /** The one line of a private file. */
    private static String read(Path file) {
        String where = "--streams-file " + file;
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidConfigurationException(where + ": no such file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidConfigurationException(where + ": larger than " + MAX_FILE_BYTES
                        + " bytes; it should hold the streams URL alone");
            }
            checkPrivate(file, where);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
            if (lines.size() != 1) {
                // Not quoted: the lines may hold credentials.
                throw new InvalidConfigurationException(where + ": holds " + lines.size()
                        + " non-blank lines; it should hold the streams URL alone, on one line");
            }
            return lines.get(0);
        } catch (CharacterCodingException e) {
            throw new InvalidConfigurationException(where + ": not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidConfigurationException(where + ": cannot read it: " + e.getClass().getSimpleName());
        }
    }

    /** Refuses a file others may read or change: it holds credentials. Skipped where there are no POSIX modes. */
    private static void checkPrivate(Path file, String where) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> shared = EnumSet.noneOf(PosixFilePermission.class);
        shared.addAll(permissions);
        shared.retainAll(SHARED);
        if (!shared.isEmpty()) {
            throw new InvalidConfigurationException(where + ": its mode is " + PosixFilePermissions.toString(permissions)
                    + ", so users other than its owner may read or change the credentials in it; "
                    + "make it private: chmod 600 " + file + " (in Kubernetes, defaultMode: 0400 on the Secret volume)");
        }
    }

    /** {@code given}, else STREAMBACK_NAME, else {@value #DEFAULT_APP_NAME}. */
    static String appName(String given) {
        return Optional.ofNullable(given).or(() -> environment(WorkerEnvironment.NAME)).orElse(DEFAULT_APP_NAME);
    }

    private static Optional<String> environment(String variable) {
        return Optional.ofNullable(System.getenv(variable)).map(String::strip).filter(value -> !value.isEmpty());
    }
}
