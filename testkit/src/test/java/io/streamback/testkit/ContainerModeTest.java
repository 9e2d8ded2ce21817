package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

@EnabledIf(value = "io.streamback.testkit.TestModes#containers",
        disabledReason = "checks the container mode: run with -Dstreamback.testkit.mode=containers")
class ContainerModeTest {

    @Test
    void publishesTheServersOnLoopbackOnly() {
        Testkit testkit = Testkit.shared();

        assertThat(publishedAddresses(testkit.kafka().container().orElseThrow())).containsOnly("127.0.0.1");
        assertThat(publishedAddresses(testkit.redis().container().orElseThrow())).containsOnly("127.0.0.1");
    }

    @Test
    void stopAndRestartNameTheProcessesMode() {
        Testkit testkit = Testkit.shared();

        assertThatThrownBy(testkit.kafka()::stop).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("KafkaBroker.stop()").hasMessageContaining("-Dstreamback.testkit.mode=processes");
        assertThatThrownBy(testkit.kafka()::restart).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("KafkaBroker.restart()").hasMessageContaining("-Dstreamback.testkit.mode=processes");
        assertThatThrownBy(testkit.redis()::stop).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("RedisServer.stop()").hasMessageContaining("-Dstreamback.testkit.mode=processes");
        assertThatThrownBy(testkit.redis()::restart).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("RedisServer.restart()").hasMessageContaining("-Dstreamback.testkit.mode=processes");
        assertThat(testkit.kafka().isRunning()).isTrue();
        assertThat(testkit.redis().isRunning()).isTrue();
    }

    @Test
    void securedServersAreRefusedNamingTheProcessesMode() {
        assertThatThrownBy(() -> KafkaBroker.builder().sasl("SCRAM-SHA-512").user("app", "secret").start())
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("SASL_PLAINTEXT SCRAM-SHA-512").hasMessageContaining("-Dstreamback.testkit.mode=processes");
        assertThatThrownBy(() -> KafkaBroker.builder().tls(TestCertificates.shared()).start())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("SSL");
        assertThatThrownBy(() -> RedisServer.builder().password("secret").start())
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("password").hasMessageContaining("-Dstreamback.testkit.mode=processes");
    }

    @Test
    void closeRemovesTheContainerAndIsIdempotent() {
        RedisServer redis = RedisServer.start();
        String id = redis.container().orElseThrow().getContainerId();
        assertThat(containersWithId(id)).isEqualTo(1);

        redis.close();
        redis.close();

        assertThat(redis.isRunning()).isFalse();
        assertThat(containersWithId(id)).isZero();
    }

    private static int containersWithId(String id) {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withIdFilter(List.of(id)).exec().size();
    }

    private static Object[] publishedAddresses(GenericContainer<?> container) {
        Map<?, Ports.Binding[]> bindings = container.getContainerInfo().getNetworkSettings().getPorts().getBindings();
        return bindings.values().stream().filter(Objects::nonNull).flatMap(Arrays::stream)
                .map(Ports.Binding::getHostIp).toArray();
    }
}
