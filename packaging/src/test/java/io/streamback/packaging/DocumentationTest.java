package io.streamback.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Markdown cannot drift from the code: every Java snippet is a copy of compiled source, named by
 * an {@code <!-- include: PATH -->} or {@code <!-- include: PATH#TAG -->} line just above it (TAG
 * marks a region between {@code // tag::TAG[]} and {@code // end::TAG[]}), and every relative link
 * reaches an existing file and heading.
 */
class DocumentationTest {
    private static final Pattern INCLUDE = Pattern.compile("\\s*<!-- include: ([^#\\s]+)(?:#(\\S+))? -->\\s*");
    private static final Pattern FENCE = Pattern.compile("\\s*```(\\w*)\\s*");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyJavaSnippetIsIncludedFromCompiledSource() {
        List<String> problems = new ArrayList<>();
        for (Path markdown : markdownFiles()) {
            List<String> lines = lines(markdown);
            String include = null;
            int includeLine = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher includeMatch = INCLUDE.matcher(line);
                Matcher fence = FENCE.matcher(line);
                if (includeMatch.matches()) {
                    include = line;
                    includeLine = i + 1;
                } else if (fence.matches()) {
                    int end = closingFence(lines, i);
                    List<String> block = lines.subList(i + 1, end);
                    String where = Repo.root().relativize(markdown) + ":" + (i + 1);
                    if (include != null) {
                        Matcher m = INCLUDE.matcher(include);
                        m.matches();
                        List<String> source = source(m.group(1), m.group(2), where, problems);
                        if (source != null && !source.equals(block)) {
                            problems.add(where + ": the snippet differs from " + m.group(1)
                                    + (m.group(2) == null ? "" : "#" + m.group(2)) + "; it should read:\n"
                                    + String.join("\n", source));
                        }
                    } else if (fence.group(1).equals("java")) {
                        problems.add(where + ": a Java snippet with no <!-- include: PATH[#TAG] --> above it");
                    }
                    include = null;
                    i = end;
                } else if (!line.isBlank() && include != null) {
                    problems.add(Repo.root().relativize(markdown) + ":" + includeLine + ": the include is not followed by a code block");
                    include = null;
                }
            }
        }
        assertThat(problems).as("snippets").isEmpty();
    }

    @Test
    void relativeLinksReachFilesAndHeadings() {
        List<String> problems = new ArrayList<>();
        for (Path markdown : markdownFiles()) {
            List<String> lines = lines(markdown);
            boolean inCode = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (FENCE.matcher(line).matches()) {
                    inCode = !inCode;
                }
                if (inCode) {
                    continue;
                }
                Matcher link = LINK.matcher(line);
                while (link.find()) {
                    String target = link.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue; // https:, mailto:
                    }
                    String where = Repo.root().relativize(markdown) + ":" + (i + 1) + ": " + target;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path linked = file.isEmpty() ? markdown : markdown.getParent().resolve(file).normalize();
                    if (!Files.exists(linked)) {
                        problems.add(where + ": no such file");
                    } else if (hash >= 0 && !anchors(linked).contains(target.substring(hash + 1))) {
                        problems.add(where + ": no such heading in " + Repo.root().relativize(linked));
                    }
                }
            }
        }
        assertThat(problems).as("links").isEmpty();
    }

    @Test
    void theReadmeStaysAFirstHour() {
        assertThat(lines(Repo.path("README.md"))).as("README.md lines: the reference belongs in docs/").hasSizeLessThanOrEqualTo(350);
    }

    private static List<Path> markdownFiles() {
        try (Stream<Path> docs = Files.list(Repo.path("docs"))) {
            List<Path> files = new ArrayList<>(docs.filter(p -> p.toString().endsWith(".md")).sorted().toList());
            files.add(Repo.path("README.md"));
            files.add(Repo.path("operator/README.md"));
            files.add(Repo.path("examples/k8s/README.md"));
            files.add(Repo.path("helm/streamback-operator/README.md"));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closingFence(List<String> lines, int opening) {
        for (int i = opening + 1; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```")) {
                return i;
            }
        }
        throw new AssertionError("unclosed code block at line " + (opening + 1));
    }

    /** The included file, or its TAG region with the region's common indentation removed. */
    private static List<String> source(String path, String tag, String where, List<String> problems) {
        Path file = Repo.path(path);
        if (!Files.isRegularFile(file)) {
            problems.add(where + ": includes " + path + ", which does not exist");
            return null;
        }
        List<String> lines = lines(file);
        if (tag == null) {
            return lines;
        }
        int start = indexOfMarker(lines, "tag::" + tag + "[]");
        int end = indexOfMarker(lines, "end::" + tag + "[]");
        if (start < 0 || end < start) {
            problems.add(where + ": " + path + " has no region " + tag + " (// tag::" + tag + "[] ... // end::" + tag + "[])");
            return null;
        }
        List<String> region = lines.subList(start + 1, end).stream().filter(l -> !isMarker(l)).toList();
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }

    /** A region marker line: nested regions' markers are not part of the snippet. */
    private static boolean isMarker(String line) {
        return line.strip().matches("(//|#|<!--) (tag|end)::\\S+\\[\\]( -->)?");
    }

    private static int indexOfMarker(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals("// " + marker) || line.equals("# " + marker) || line.equals("<!-- " + marker + " -->")) {
                return i;
            }
        }
        return -1;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
    private static Set<String> anchors(Path markdown) {
        Set<String> anchors = new HashSet<>();
        boolean inCode = false;
        for (String line : lines(markdown)) {
            if (FENCE.matcher(line).matches()) {
                inCode = !inCode;
            }
            if (!inCode && line.startsWith("#")) {
                String slug = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                String anchor = slug;
                for (int n = 1; !anchors.add(anchor); n++) {
                    anchor = slug + "-" + n;
                }
            }
        }
        return anchors;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
