package io.streamback.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

    @Test
    void defaultsWithAnEmptyEnvironment() {
        OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("HOSTNAME", "operator-7d9f"));
        assertThat(config.workerImage()).isEmpty();
        assertThat(config.namespaces()).as("all namespaces").isEmpty();
        assertThat(config.leaderElection()).isFalse();
        assertThat(config.leaseName()).isEqualTo("streamback-operator");
        assertThat(config.identity()).isEqualTo("operator-7d9f");
        assertThat(config.exitOnLeaseLoss()).isTrue();
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.httpAddress()).as("every interface").isEmpty();
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsEveryVariable() {
        OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
                "STREAMBACK_WORKER_IMAGE", "example/streamback-worker:0.1.0",
                "STREAMBACK_OPERATOR_NAMESPACES", " team-a, team-b ,",
                "STREAMBACK_OPERATOR_LEADER_ELECTION", "true",
                "STREAMBACK_OPERATOR_LEASE_NAME", "sb",
                "POD_NAMESPACE", "streamback-system",
                "POD_NAME", "operator-0",
                "STREAMBACK_OPERATOR_HTTP_PORT", "9090",
                "STREAMBACK_OPERATOR_SHUTDOWN_TIMEOUT_SECONDS", "10",
                "STREAMBACK_OPERATOR_RECONCILE_THREADS", "4"));
        assertThat(config.workerImage()).contains("example/streamback-worker:0.1.0");
        assertThat(config.namespaces()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(config.leaderElection()).isTrue();
        assertThat(config.leaseName()).isEqualTo("sb");
        assertThat(config.leaseNamespace()).contains("streamback-system");
        assertThat(config.identity()).isEqualTo("operator-0");
        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.reconcileThreads()).isEqualTo(4);
        assertThat(OperatorConfig.fromEnvironment(Map.of("STREAMBACK_OPERATOR_NAMESPACES", "*")).namespaces()).isEmpty();
        assertThat(OperatorConfig.fromEnvironment(Map.of("STREAMBACK_OPERATOR_HTTP_ADDRESS", "127.0.0.1")).httpAddress())
                .map(InetAddress::getHostAddress).contains("127.0.0.1");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("STREAMBACK_OPERATOR_HTTP_PORT", "http")))
                .hasMessage("STREAMBACK_OPERATOR_HTTP_PORT='http' is not a whole number");
        assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("STREAMBACK_OPERATOR_LEADER_ELECTION", "yes")))
                .hasMessage("STREAMBACK_OPERATOR_LEADER_ELECTION='yes' is not true or false");
        assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("STREAMBACK_OPERATOR_RECONCILE_THREADS", "0")))
                .hasMessage("STREAMBACK_OPERATOR_RECONCILE_THREADS=0 is out of range 1-500");
        assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("STREAMBACK_OPERATOR_HTTP_ADDRESS", "192.0.2.1")))
                .hasMessageStartingWith("STREAMBACK_OPERATOR_HTTP_ADDRESS='192.0.2.1'");
    }
}
