package io.streamback.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * How a message with a key picks its partition of the main stream. Messages without a key are
 * spread by Kafka's producer either way. Per-key order only holds while every producer of a topic
 * uses the same rule.
 */
public enum KeyPartitioner {
    /**
     * CRC-32 of the key's UTF-8 bytes modulo the partition count, as the Python library's Kafka
     * client does by default (librdkafka's {@code consistent_random}), so Java and Python producers
     * put a key on the same partition. An empty key counts as none there and is spread at random;
     * here too. The default.
     */
    CRC32,
    /** Murmur2 of the key's bytes, the Kafka Java client's default, for topics shared with other Java producers. */
    MURMUR2;

    /**
     * The partition of {@code key} among {@code partitions}, or empty to leave the choice to
     * Kafka's producer.
     */
    public OptionalInt partition(String key, int partitions) {
        if (this == MURMUR2 || key == null || partitions <= 0) {
            return OptionalInt.empty();
        }
        if (key.isEmpty()) {
            return OptionalInt.of(ThreadLocalRandom.current().nextInt(partitions));
        }
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return OptionalInt.of((int) (crc.getValue() % partitions));
    }

    /**
     * Reads {@code crc32} or {@code murmur2}, in any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KeyPartitioner parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a key partitioner: use crc32 (as the Python "
                    + "library, the default) or murmur2 (as Kafka's Java client)");
        }
    }
}
