package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StreambackTest
class TestkitExtensionTest {

    private static Testkit fromBeforeAll;
    private final Testkit fromConstructor;
    private Testkit fromBeforeEach;

    TestkitExtensionTest(Testkit testkit) {
        this.fromConstructor = testkit;
    }

    @BeforeAll
    static void beforeAll(Testkit testkit) {
        fromBeforeAll = testkit;
    }

    @BeforeEach
    void beforeEach(Testkit testkit) {
        fromBeforeEach = testkit;
    }

    @Test
    void injectsTheSharedTestkitEverywhere(Testkit testkit) {
        assertThat(testkit).isSameAs(Testkit.shared());
        assertThat(fromConstructor).isSameAs(testkit);
        assertThat(fromBeforeEach).isSameAs(testkit);
        assertThat(fromBeforeAll).isSameAs(testkit);
        assertThat(testkit.kafka().isRunning()).isTrue();
    }
}
