package io.streamback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packages {@link Streamback} is built on see it only through narrow interfaces
 * ({@code listener.Sender}, {@code callback.RunningStreamback}), so the facade sits on top of them
 * rather than in an import circle with them.
 */
class FacadeDependenciesTest {

    static final Pattern USES_FACADE = Pattern.compile("\\bio\\.streamback\\.Streamback\\b(?!\\w)");

    @ParameterizedTest(name = "{0} does not depend on Streamback")
    @ValueSource(strings = {"listener", "callback", "internal/runtime"})
    void buildingBlocksDoNotDependOnTheFacade(String pkg) throws IOException {
        Path sources = Path.of("src/main/java/io/streamback", pkg);
        List<Path> files;
        try (Stream<Path> walk = Files.list(sources)) {
            files = walk.filter(file -> file.toString().endsWith(".java")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(USES_FACADE.matcher(Files.readString(file)).find()).as(file.toString()).isFalse();
        }
    }
}
