package io.streamback.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's configuration in {@code streamback.jar}, in code rather than a {@code logback.xml}: the
 * worker process logs one line per event to stdout, where container runtimes collect it, at the
 * level of {@code STREAMBACK_LOG_LEVEL} (INFO by default), Kafka's clients at WARN.
 *
 * <p>In code because reading XML loads Logback's configuration framework and the JDK's XML parser,
 * some 600 classes, in every worker: a tenth of what it loads. A {@code -Dlogback.configurationFile}
 * still wins, read by Logback's own configurators as usual.
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("stdout");
        stdout.setEncoder(encoder);
        stdout.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // As logback.xml's ${STREAMBACK_LOG_LEVEL:-INFO} did: a system property, else the environment
        // variable; a name Logback does not know is DEBUG.
        String level = System.getProperty("STREAMBACK_LOG_LEVEL", System.getenv("STREAMBACK_LOG_LEVEL"));
        root.setLevel(level == null ? Level.INFO : Level.toLevel(level));
        root.addAppender(stdout);
        context.getLogger("org.apache.kafka").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
