package io.streamback.internal.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where records that can't be handled are kept; {@link DeadLetters} sends them to the dead-letter topic. */
@FunctionalInterface
public interface DeadLetterSink {
    /**
     * Keeps the record with the error that made it fail, and waits until it is kept.
     *
     * @return false when it could not be kept: the record must then not count as handled
     */
    boolean keep(ConsumerRecord<String, byte[]> record, String error);
}
