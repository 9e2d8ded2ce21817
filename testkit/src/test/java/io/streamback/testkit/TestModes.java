package io.streamback.testkit;

/** Conditions for {@code @EnabledIf} and {@code @DisabledIf}: tests that need one mode of the testkit. */
public final class TestModes {

    private TestModes() {
    }

    public static boolean containers() {
        return TestkitMode.configured() == TestkitMode.CONTAINERS;
    }
}
