package io.streamback.internal.tracing;

import io.opentelemetry.api.common.AttributeKey;

/** The attribute keys Streamback sets: OpenTelemetry's messaging conventions, and its own under {@code streamback.}. */
final class SpanAttributes {
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    /** Kafka has no message ids; Streamback's feedback topic is unique per message and names its replies. */
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    static final AttributeKey<String> MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");

    static final AttributeKey<String> LISTENER = AttributeKey.stringKey("streamback.listener");
    static final AttributeKey<String> SOURCE_GROUP = AttributeKey.stringKey("streamback.source_group");
    static final AttributeKey<Long> REPLIES = AttributeKey.longKey("streamback.replies");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("streamback.outcome");
    static final AttributeKey<String> ERROR = AttributeKey.stringKey("streamback.error");
    static final AttributeKey<String> SCHEDULE = AttributeKey.stringKey("streamback.schedule");
    static final AttributeKey<String> OCCURRENCE = AttributeKey.stringKey("streamback.schedule.occurrence");

    static final String KAFKA = "kafka";

    private SpanAttributes() {
    }
}
