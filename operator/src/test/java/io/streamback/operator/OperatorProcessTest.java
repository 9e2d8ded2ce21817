package io.streamback.operator;

import static io.streamback.operator.testing.TestResources.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** The operator process: health and metrics endpoints, watched namespaces, leader election. */
class OperatorProcessTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }

    static HttpResponse<String> get(StreambackOperator operator, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + operator.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void healthAndMetricsEndpoints() {
        try (Cluster cluster = Cluster.withOperator()) {
            StreambackOperator operator = cluster.operator();
            assertThat(get(operator, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(operator, "/readyz").statusCode()).isEqualTo(200);

            String ns = cluster.namespace("metrics");
            cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
            cluster.create(listener(ns, "counted", "orders"));
            cluster.createSomeoneElsesDeployment(ns, "clash");
            cluster.create(listener(ns, "clash", "orders"));

            String metrics = eventually().until(() -> get(operator, "/metrics").body(),
                    body -> body.contains("streamback_operator_reconciliation_errors_total{controller=\"streambacklistener\"}")
                            && body.contains("streamback_operator_reconciliations_total{controller=\"streambacklistener\","
                            + "result=\"success\"}"));
            assertThat(metrics)
                    .contains("streamback_operator_reconciliations_total{controller=\"streambacklistener\",result=\"error\"}")
                    .contains("streamback_operator_reconciliation_duration_seconds_count{controller=\"streambacklistener\","
                            + "result=\"success\"}")
                    .contains("jvm_memory_used_bytes");
            assertThat(get(operator, "/metrics").headers().firstValue("Content-Type")).get().asString()
                    .startsWith("text/plain");
        }
    }

    @Test
    void watchesOnlyTheConfiguredNamespaces() {
        try (Cluster cluster = Cluster.withoutOperator()) {
            String teamA = cluster.namespace("team-a");
            String teamB = cluster.namespace("team-b");
            cluster.startOperator(OperatorConfig.defaults(Cluster.WORKER_IMAGE).withNamespaces(Set.of(teamA)));
            for (String ns : new String[] {teamA, teamB}) {
                cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
                cluster.create(listener(ns, "app", "orders"));
            }
            eventually().until(() -> cluster.deployment(teamA, "app") != null);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> cluster.deployment(teamB, "app") == null
                            && cluster.get(StreambackListener.class, teamB, "app").getStatus() == null);
        }
    }

    @Test
    void twoReplicasShareTheWorkThroughALease() {
        try (Cluster cluster = Cluster.withoutOperator()) {
            String leaseNs = cluster.namespace("streamback-system");
            Duration lease = Duration.ofSeconds(2);
            OperatorConfig base = OperatorConfig.defaults(Cluster.WORKER_IMAGE);
            StreambackOperator first = cluster.startOperator(base.withLeaderElection(leaseNs, "first", false, lease));
            Lease held = eventually().until(() -> cluster.get(Lease.class, leaseNs, "streamback-operator"),
                    l -> l != null && "first".equals(l.getSpec().getHolderIdentity()));
            assertThat(held.getSpec().getLeaseDurationSeconds()).isEqualTo(2);
            StreambackOperator second = cluster.startOperator(base.withLeaderElection(leaseNs, "second", false,
                    lease));
            assertThat(get(second, "/readyz").statusCode()).as("a standby replica is ready").isEqualTo(200);

            String ns = cluster.namespace("leader");
            cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
            cluster.create(listener(ns, "before", "orders"));
            eventually().until(() -> cluster.deployment(ns, "before") != null);
            assertThat(get(second, "/metrics").body()).as("the standby reconciles nothing")
                    .doesNotContain("streamback_operator_reconciliations_total{");

            // The active replica stops: the standby takes the Lease once it expires, and carries on.
            first.close();
            eventually().until(() -> cluster.get(Lease.class, leaseNs, "streamback-operator")
                    .getSpec().getHolderIdentity(), "second"::equals);
            cluster.create(listener(ns, "after", "orders"));
            eventually().until(() -> cluster.deployment(ns, "after") != null);
        }
    }
}
