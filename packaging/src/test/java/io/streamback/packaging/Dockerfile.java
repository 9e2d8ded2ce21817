package io.streamback.packaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Dockerfile makes, read the way {@code docker build} reads it, for the instructions the
 * project's Dockerfiles use: ARG, FROM, LABEL, COPY, ENV, USER, WORKDIR, EXPOSE, ENTRYPOINT and CMD, and
 * build stages ({@code FROM ... AS name}) whose RUN instructions make files the image's last stage copies
 * with {@code COPY --from=name}. A FROM naming one of the project's {@link Image}s inherits what that
 * image's Dockerfile makes. Anything else (ADD, RUN in the image's own stage, shell-form ENTRYPOINT or CMD)
 * is refused: the tests could not reproduce the image's layout, and the Dockerfile should not need it.
 *
 * @param path           the Dockerfile
 * @param base           the last FROM line's image, variables substituted
 * @param stages         the build stages before the last: name to base image, variables substituted
 * @param args           the build arguments in scope after the last FROM, with their values
 * @param env            ENV, the base image's first
 * @param labels         LABEL
 * @param copies         the image's COPY, the base image's first; sources relative to the build context
 *                       (the repository root), or paths in a build stage for COPY --from
 * @param contextSources the files of the build context that any stage of this Dockerfile copies
 * @param user           USER
 * @param workdir        WORKDIR
 * @param exposed        EXPOSE
 * @param entrypoint     ENTRYPOINT (exec form)
 * @param cmd            CMD (exec form)
 */
record Dockerfile(Path path, String base, Map<String, String> stages, Map<String, String> args,
                  Map<String, String> env, Map<String, String> labels, List<Copy> copies, Set<String> contextSources,
                  String user, String workdir, Set<String> exposed, List<String> entrypoint, List<String> cmd) {

    /**
     * One COPY: a file of the build context, or of build stage {@code stage} (COPY --from), to a path in the
     * image (a folder when it ends with /).
     */
    record Copy(String source, String destination, Optional<String> stage) {
        /** A file of the build context. */
        Copy(String source, String destination) {
            this(source, destination, Optional.empty());
        }

        /** A file of build stage {@code stage}. */
        static Copy fromStage(String stage, String source, String destination) {
            return new Copy(source, destination, Optional.of(stage));
        }

        /** Where the file lands in the image. */
        String target() {
            return destination.endsWith("/") ? destination + Path.of(source).getFileName() : destination;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_.\\-]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)\\s*");

    /** The image {@code image} builds, with the ARG defaults. */
    static Dockerfile of(Image image) {
        return read(image.dockerfilePath(), Map.of());
    }

    /** Reads a Dockerfile; {@code buildArgs} as with {@code docker build --build-arg}. */
    static Dockerfile read(Path path, Map<String, String> buildArgs) {
        List<String> instructions = instructions(path);
        int lastFrom = -1;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).toUpperCase().startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        Map<String, String> globalArgs = new LinkedHashMap<>();
        Map<String, String> stages = new LinkedHashMap<>();
        Set<String> contextSources = new LinkedHashSet<>();
        String stage = null;
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        List<Copy> copies = new ArrayList<>();
        Set<String> exposed = new LinkedHashSet<>();
        String base = null;
        String user = null;
        String workdir = null;
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        for (int index = 0; index < instructions.size(); index++) {
            String line = instructions.get(index);
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            String rest = parts.length > 1 ? parts[1].strip() : "";
            Map<String, String> scope = new LinkedHashMap<>(base == null ? globalArgs : args);
            scope.putAll(env);
            boolean imageStage = index >= lastFrom;
            if (!imageStage && base != null) {
                // A build stage: only what it takes from the build context and its name matter to the image.
                switch (keyword) {
                    case "ARG" -> args.put(rest.split("=", 2)[0],
                            argValue(rest, buildArgs, scope, globalArgs, path, line));
                    case "ENV" -> env.putAll(pairs(rest, scope, path, line));
                    case "COPY" -> contextSources.addAll(copy(rest, scope, path, line, stages).stream()
                            .filter(copy -> copy.stage().isEmpty()).map(Copy::source).toList());
                    case "FROM" -> {
                        stages.put(stage, base);
                        base = null;
                        env.clear();
                        args.clear();
                    }
                    case "RUN", "WORKDIR", "USER", "LABEL" -> { }
                    default -> throw refuse(path, line, keyword + " is not modelled in a build stage");
                }
                if (base != null) {
                    continue;
                }
            }
            switch (keyword) {
                case "ARG" -> (base == null ? globalArgs : args).put(rest.split("=", 2)[0],
                        argValue(rest, buildArgs, scope, base == null ? Map.of() : globalArgs, path, line));
                case "FROM" -> {
                    if (base != null) {
                        stages.put(stage, base);
                        env.clear();
                        args.clear();
                    }
                    String[] words = rest.split("\\s+");
                    base = substitute(words[0], scope, path);
                    if (index < lastFrom) {
                        if (words.length != 3 || !words[1].equalsIgnoreCase("AS")) {
                            throw refuse(path, line, "a build stage needs a name: FROM IMAGE AS NAME");
                        }
                        stage = words[2];
                        continue;
                    }
                    Optional<Image> parent = Image.named(base);
                    if (parent.isPresent()) {
                        Dockerfile inherited = read(parent.get().dockerfilePath(), buildArgs);
                        env.putAll(inherited.env);
                        labels.putAll(inherited.labels);
                        copies.addAll(inherited.copies);
                        exposed.addAll(inherited.exposed);
                        user = inherited.user;
                        workdir = inherited.workdir;
                        entrypoint = inherited.entrypoint;
                        cmd = inherited.cmd;
                    }
                }
                case "LABEL" -> labels.putAll(pairs(rest, scope, path, line));
                case "ENV" -> env.putAll(pairs(rest, scope, path, line));
                case "COPY" -> {
                    List<Copy> copied = copy(rest, scope, path, line, stages);
                    copies.addAll(copied);
                    copied.stream().filter(copy -> copy.stage().isEmpty()).map(Copy::source).forEach(contextSources::add);
                }
                case "USER" -> user = substitute(rest, scope, path);
                case "WORKDIR" -> workdir = substitute(rest, scope, path);
                case "EXPOSE" -> exposed.addAll(List.of(substitute(rest, scope, path).split("\\s+")));
                case "ENTRYPOINT" -> {
                    entrypoint = execForm(path, line, rest);
                    cmd = List.of();
                }
                case "CMD" -> cmd = execForm(path, line, rest);
                default -> throw refuse(path, line, keyword + " is not modelled: the layout tests could not reproduce it");
            }
            if (base == null && !keyword.equals("ARG")) {
                throw refuse(path, line, "only ARG may come before FROM");
            }
        }
        if (base == null) {
            throw new IllegalArgumentException(path + ": no FROM");
        }
        return new Dockerfile(path, base, Map.copyOf(stages), Map.copyOf(args), Map.copyOf(env), Map.copyOf(labels),
                List.copyOf(copies), Set.copyOf(contextSources), user, workdir, Set.copyOf(exposed), entrypoint, cmd);
    }

    /** The value of {@code ARG NAME[=DEFAULT]}: the build argument, else the default, else the global ARG's. */
    private static String argValue(String rest, Map<String, String> buildArgs, Map<String, String> scope,
                                   Map<String, String> globalArgs, Path path, String line) {
        String[] nameValue = rest.split("=", 2);
        String name = nameValue[0];
        String value = buildArgs.containsKey(name) ? buildArgs.get(name)
                : nameValue.length > 1 ? unquote(substitute(nameValue[1], scope, path))
                : globalArgs.get(name);
        if (value == null) {
            throw refuse(path, line, "an ARG needs a default value");
        }
        return value;
    }

    /** {@code COPY [--from=STAGE] SOURCE... DESTINATION}, STAGE an earlier stage of this Dockerfile. */
    private static List<Copy> copy(String rest, Map<String, String> scope, Path path, String line,
                                   Map<String, String> stages) {
        List<String> words = new ArrayList<>(List.of(substitute(rest, scope, path).split("\\s+")));
        Optional<String> stage = Optional.empty();
        if (!words.isEmpty() && words.get(0).startsWith("--from=")) {
            stage = Optional.of(words.remove(0).substring("--from=".length()));
            if (!stages.containsKey(stage.get())) {
                throw refuse(path, line, "--from names no earlier build stage of this Dockerfile");
            }
        }
        if (words.stream().anyMatch(word -> word.startsWith("--")) || words.size() < 2 || rest.startsWith("[")) {
            throw refuse(path, line, "only COPY [--from=STAGE] SOURCE... DESTINATION is modelled");
        }
        String destination = words.get(words.size() - 1);
        if (words.size() > 2 && !destination.endsWith("/")) {
            throw refuse(path, line, "several sources need a destination folder ending with /");
        }
        Optional<String> from = stage;
        return words.subList(0, words.size() - 1).stream()
                .map(source -> new Copy(source, destination, from)).toList();
    }

    /** The file's instructions: comments and blank lines dropped, continued lines joined. */
    static List<String> instructions(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            instructions.add(current.toString().strip());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            throw new IllegalArgumentException(path + ": the last line continues with \\ into nothing");
        }
        return instructions;
    }

    private static Map<String, String> pairs(String text, Map<String, String> scope, Path path, String line) {
        Map<String, String> pairs = new LinkedHashMap<>();
        Matcher matcher = PAIR.matcher(text);
        int end = 0;
        while (matcher.lookingAt()) {
            pairs.put(matcher.group(1), unquote(substitute(matcher.group(2), scope, path)));
            end = matcher.end();
            matcher.region(end, text.length());
        }
        if (end != text.length()) {
            throw refuse(path, line, "only KEY=VALUE pairs are modelled");
        }
        return pairs;
    }

    private static List<String> execForm(Path path, String line, String text) {
        if (!text.startsWith("[")) {
            throw refuse(path, line, "use the exec form [\"...\"]: the shell form puts a shell as PID 1, "
                    + "which does not pass SIGTERM on to java");
        }
        try {
            return List.copyOf(JSON.readValue(text, new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            throw refuse(path, line, "not a JSON array of strings: " + e.getOriginalMessage());
        }
    }

    /** $NAME and ${NAME}; an unknown name is an error (docker would put an empty string). */
    static String substitute(String text, Map<String, String> scope, Path path) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = scope.get(name);
            if (value == null) {
                throw new IllegalArgumentException(path + ": $" + name + " is not defined in '" + text + "'");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return value;
    }

    private static IllegalArgumentException refuse(Path path, String line, String why) {
        return new IllegalArgumentException(path + ": '" + line + "': " + why);
    }
}
