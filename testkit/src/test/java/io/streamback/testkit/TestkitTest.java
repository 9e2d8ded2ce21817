package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestkitTest {

    @Test
    void sharedIsStartedOnceAndRunning() {
        Testkit testkit = Testkit.shared();

        assertThat(Testkit.shared()).isSameAs(testkit);
        assertThat(testkit.kafka().isRunning()).isTrue();
        assertThat(testkit.redis().isRunning()).isTrue();
    }

    @Test
    void streamsUrlNamesKafkaAsMainAndRedisAsFeedback() {
        Testkit testkit = Testkit.shared();

        assertThat(testkit.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(testkit.redisUrl()).matches("redis://127\\.0\\.0\\.1:\\d+");
        assertThat(testkit.streamsUrl())
                .isEqualTo("main=kafka://" + testkit.bootstrapServers() + "&feedback=" + testkit.redisUrl())
                .matches("main=kafka://127\\.0\\.0\\.1:\\d+&feedback=redis://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void uniqueNamesAreDistinctAndSafeForTopicsAndGroups() {
        String first = Testkit.uniqueName("Orders.v2_Test");
        String second = Testkit.uniqueName("Orders.v2_Test");

        assertThat(first).matches("orders-v2-test-[a-z0-9]{8}");
        assertThat(second).isNotEqualTo(first);
    }
}
