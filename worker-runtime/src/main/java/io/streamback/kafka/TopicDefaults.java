package io.streamback.kafka;

import java.util.Optional;

/**
 * How a topic Streamback creates is laid out.
 *
 * @param partitions        at least 1
 * @param replicationFactor at least 1, at most the number of brokers; empty: the broker's
 *                          {@code default.replication.factor}
 */
public record TopicDefaults(int partitions, Optional<Short> replicationFactor) {
    public TopicDefaults {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least 1 partition, got " + partitions);
        }
        replicationFactor.filter(factor -> factor < 1).ifPresent(factor -> {
            throw new IllegalArgumentException("a topic needs a replication factor of at least 1, got " + factor);
        });
    }

    /**
     * Reads {@code PARTITIONS} or {@code PARTITIONS:REPLICATION}, e.g. {@code 6} or {@code 6:3}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static TopicDefaults parse(String value) {
        String[] parts = value.strip().split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("'" + value + "' is not PARTITIONS or PARTITIONS:REPLICATION, e.g. 6 or 6:3");
        }
        try {
            int partitions = Integer.parseInt(parts[0].strip());
            Optional<Short> replication = parts.length == 2 ? Optional.of(Short.parseShort(parts[1].strip())) : Optional.empty();
            return new TopicDefaults(partitions, replication);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not PARTITIONS or PARTITIONS:REPLICATION, e.g. 6 or 6:3");
        }
    }
}
