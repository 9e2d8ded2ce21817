package io.streamback;

import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Builds Streamback instances on the shared testkit and closes them after each test. */
final class StreambackFixture implements AutoCloseable {
    private final Testkit testkit;
    private final List<Streamback> opened = new ArrayList<>();

    StreambackFixture(Testkit testkit) {
        this.testkit = testkit;
    }

    Streamback app(String name) {
        return app(name, "", builder -> builder);
    }

    /** A Streamback whose streams URL is the testkit's plus {@code extraSettings} (e.g. "&topics_prefix=p"). */
    Streamback app(String name, String extraSettings, UnaryOperator<Streamback.Builder> settings) {
        Streamback streamback = settings.apply(Streamback.builder(name)
                        .streams(testkit.streamsUrl() + extraSettings)
                        .feedbackTimeout(Duration.ofSeconds(30)))
                .build();
        opened.add(streamback);
        return streamback;
    }

    /** Starts the listeners and waits until they own their partitions. */
    static Streamback started(Streamback streamback) throws Exception {
        streamback.startAsync().get(60, TimeUnit.SECONDS);
        return streamback;
    }

    @Override
    public void close() {
        opened.forEach(Streamback::close);
    }
}
