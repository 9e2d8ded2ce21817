package io.streamback.internal.runtime;

import io.streamback.internal.kafka.MainStreamProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the records that can't be handled: ones that are not the wire format, and ones a
 * listener failed on after its last retry. Each goes, as it was (key and value), to the topic's
 * dead-letter topic ({@code {topic}.dlt} by default) with headers saying where it came from and why.
 */
public final class DeadLetters implements DeadLetterSink {
    /** Headers of a dead letter. */
    public static final String SOURCE_TOPIC = "streamback.source.topic";
    public static final String SOURCE_PARTITION = "streamback.source.partition";
    public static final String SOURCE_OFFSET = "streamback.source.offset";
    public static final String ERROR = "streamback.error";
    public static final String APP = "streamback.app";
    /** Set, to the value's size in bytes, when the value was too large to copy and was left out. */
    public static final String VALUE_OMITTED = "streamback.value.omitted";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final MainStreamProducer producer;
    private final String topicPattern;
    private final String app;

    /** @param topicPattern the dead-letter topic's name, with {@code {topic}} for the record's topic */
    public DeadLetters(MainStreamProducer producer, String topicPattern, String app) {
        this.producer = producer;
        this.topicPattern = topicPattern;
        this.app = app;
    }

    /** The dead-letter topic of {@code topic}. */
    public String topicFor(String topic) {
        return topicPattern.replace("{topic}", topic);
    }

    /**
     * Sends the record to its dead-letter topic and waits for the broker to have it.
     *
     * @return false when it could not be kept: the record must then not count as handled
     */
    @Override
    public boolean keep(ConsumerRecord<String, byte[]> record, String error) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE_TOPIC, utf8(record.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(ERROR, utf8(error));
        headers.add(APP, utf8(app));
        String deadLetterTopic = topicFor(record.topic());
        try {
            try {
                send(new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers));
            } catch (ExecutionException | RuntimeException e) {
                if (!tooLarge(e)) {
                    throw e;
                }
                // A record just under the size limit no longer fits once the headers are added. Keeping
                // where it is (the headers) beats stalling the partition on it forever.
                headers.add(VALUE_OMITTED, utf8(Integer.toString(record.value().length)));
                send(new ProducerRecord<>(deadLetterTopic, null, record.key(), null, headers));
                log.warn("Record {}-{}@{} is too large to copy ({} bytes): its dead letter carries no value",
                        record.topic(), record.partition(), record.offset(), record.value().length);
            }
            log.warn("Record {}-{}@{} went to dead-letter topic {}: {}", record.topic(), record.partition(),
                    record.offset(), deadLetterTopic, error);
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.error("Could not send record {}-{}@{} to dead-letter topic {}; it stays uncommitted: {}",
                    record.topic(), record.partition(), record.offset(), deadLetterTopic, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void send(ProducerRecord<String, byte[]> deadLetter)
            throws ExecutionException, TimeoutException, InterruptedException {
        producer.send(deadLetter).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static boolean tooLarge(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
