package io.streamback.operator.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything logged in this JVM while open, as text: level, logger, message, MDC and stack traces.
 * The operator's, the operator SDK's and the Kubernetes client's loggers are turned up to DEBUG
 * meanwhile, as someone chasing a problem would.
 */
public final class LogCapture implements AutoCloseable {

    private static final List<String> VERBOSE = List.of("io.streamback", "io.javaoperatorsdk", "io.fabric8");

    private final Logger root;
    private final Map<Logger, Level> levels = new LinkedHashMap<>();
    private final StringBuffer text = new StringBuffer();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder()
                    .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                    .append(event.getFormattedMessage());
            if (!event.getMDCPropertyMap().isEmpty()) {
                line.append(' ').append(event.getMDCPropertyMap());
            }
            if (event.getThrowableProxy() != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            text.append(line).append('\n');
        }
    };

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (String name : VERBOSE) {
            setLevel(context.getLogger(name), Level.DEBUG);
        }
        appender.setContext(context);
        appender.setName("capture");
        appender.start();
        root.addAppender(appender);
    }

    private void setLevel(Logger logger, Level level) {
        levels.put(logger, logger.getLevel());
        logger.setLevel(level);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** What was logged so far. */
    public String text() {
        return text.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        levels.forEach(Logger::setLevel);
    }
}
