package io.streamback.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyPartitionerTest {

    @Test
    void crc32IsTheStandardChecksumOfTheUtf8BytesModuloThePartitions() {
        // The CRC-32 check value: "123456789" -> 0xCBF43926 (3421780262, above Integer.MAX_VALUE).
        assertThat(KeyPartitioner.CRC32.partition("123456789", 6)).hasValue(2);
        assertThat(KeyPartitioner.CRC32.partition("123456789", 7)).hasValue(5);
        // "Gr\u00fc\u00dfe" in UTF-8 -> 0xFBD37071 (4224938097).
        assertThat(KeyPartitioner.CRC32.partition("Gr\u00fc\u00dfe", 1000)).hasValue(97);
    }

    @Test
    void noKeyIsLeftToKafkaAndAnEmptyKeyIsSpreadAsThePythonLibraryDoes() {
        assertThat(KeyPartitioner.CRC32.partition(null, 6)).isEmpty();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int partition = KeyPartitioner.CRC32.partition("", 6).orElseThrow();
            assertThat(partition).isBetween(0, 5);
            seen.add(partition);
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void murmur2LeavesEveryChoiceToKafkasProducer() {
        assertThat(KeyPartitioner.MURMUR2.partition("customer-7", 6)).isEmpty();
    }

    @Test
    void parsesEitherNameInAnyCaseAndNamesTheChoicesOtherwise() {
        assertThat(KeyPartitioner.parse(" Murmur2 ")).isEqualTo(KeyPartitioner.MURMUR2);
        assertThat(KeyPartitioner.parse("crc32")).isEqualTo(KeyPartitioner.CRC32);
        assertThatThrownBy(() -> KeyPartitioner.parse("consistent_random"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'consistent_random' is not a key partitioner: use crc32 (as the Python library, the default)"
                        + " or murmur2 (as Kafka's Java client)");
    }
}
