/**
 * Streamback for Java: the exported packages are the API; {@code io.streamback.internal.*} is not
 * exported and may change in any release (docs/architecture.md).
 *
 * <p>Listener classes are called by reflection, and message bodies mapped by Jackson, so an
 * application on the module path opens its listener and body packages to {@code io.streamback}
 * and {@code com.fasterxml.jackson.databind}.
 */
module io.streamback {
    exports io.streamback;
    exports io.streamback.callback;
    exports io.streamback.config;
    exports io.streamback.feedback;
    exports io.streamback.kafka;
    exports io.streamback.listener;
    exports io.streamback.schedule;

    // Types of these appear in the API: JsonNode, MeterRegistry, OpenTelemetry.
    requires transitive com.fasterxml.jackson.databind;
    requires transitive io.opentelemetry.api;
    requires transitive io.opentelemetry.context;
    requires transitive micrometer.core;

    requires com.cronutils;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.module.paramnames;
    requires java.management;
    // kafka-clients has no Automatic-Module-Name: this is the name derived from its jar's file name.
    requires kafka.clients;
    requires org.apache.commons.pool2;
    requires org.slf4j;
    requires redis.clients.jedis;
}
