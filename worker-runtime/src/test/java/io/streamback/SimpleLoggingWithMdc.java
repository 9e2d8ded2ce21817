package io.streamback;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * The tests' SLF4J backend (chosen with {@code -Dslf4j.provider}): slf4j-simple, whose own MDC
 * discards everything, with a real one, so tests can see what Streamback puts in the MDC.
 */
public final class SimpleLoggingWithMdc extends SimpleServiceProvider {
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
