package io.streamback.operator.rbac;

import static io.streamback.operator.testing.TestResources.listener;
import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.streamback.operator.OperatorConfig;
import io.streamback.operator.crd.Autoscaling;
import io.streamback.operator.crd.AutoscalingTier;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.testing.MockCluster;
import io.streamback.operator.testing.TestResources;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The RBAC rules written down for the Helm chart are enough and no more: every request the
 * operator makes while going through its scenarios is allowed by them, and every rule is used.
 */
class RbacTest {

    static final String LEASE_NAMESPACE = "streamback-system";

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }

    @Test
    void theOperatorNeedsNoMoreThanItsRbacRulesAndUsesThemAll() {
        RbacRules rules = RbacRules.load();
        try (MockCluster cluster = MockCluster.withoutOperator()) {
            cluster.answerRulesReviews(rules.resourceRulesInLeaseNamespace());
            cluster.startOperator(OperatorConfig.defaults(MockCluster.WORKER_IMAGE)
                    .withLeaderElection(LEASE_NAMESPACE, "rbac-test", false, Duration.ofSeconds(3)));
            eventually().until(() -> cluster.get(Lease.class, LEASE_NAMESPACE, "streamback-operator") != null);

            runScenarios(cluster);

            List<ApiRequest> requests = cluster.drainRequests().stream()
                    .filter(MockCluster::fromOperator)
                    .map(ApiRequest::of)
                    .filter(r -> !r.isNonResource())
                    .filter(r -> !r.resource().equals("selfsubjectrulesreviews"))
                    .toList();
            assertThat(requests).isNotEmpty();
            assertThat(requests).as("requests the RBAC rules do not allow")
                    .filteredOn(r -> !rules.allows(r, LEASE_NAMESPACE))
                    .extracting(ApiRequest::line)
                    .isEmpty();

            Set<String> used = new TreeSet<>();
            requests.forEach(r -> used.add(r.group() + " " + r.resource() + " " + r.verb()));
            Set<String> granted = new TreeSet<>();
            Stream.concat(rules.clusterRole.getRules().stream(), rules.leaderElectionRole.getRules().stream())
                    .forEach(rule -> grants(rule, granted));
            // The operator SDK checks for 'update' on the Lease before it starts, though renewals patch it.
            used.add("coordination.k8s.io leases update");
            // 'get' beside 'list' grants nothing more; the rules keep it for fetches of single objects.
            granted.removeIf(g -> g.endsWith(" get") && granted.contains(g.replaceAll(" get$", " list")));
            assertThat(granted).as("rules the operator never used").isSubsetOf(used);
        }
    }

    private static void grants(PolicyRule rule, Set<String> granted) {
        for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    granted.add(group + " " + resource + " " + verb);
                }
            }
        }
    }

    /** Everything the operator does, once: creates, updates, drift, deletes, errors, events, status. */
    private static void runScenarios(MockCluster cluster) {
        String ns = MockCluster.uniqueNamespace("rbac");
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);

        // A listener: created, changed, drifted, then deleted.
        cluster.create(listener(ns, "app", "orders"));
        eventually().until(() -> cluster.deployment(ns, "app") != null);
        cluster.edit(StreambackListener.class, ns, "app", l -> l.getSpec().setConcurrency(2));
        eventually().until(() -> cluster.deployment(ns, "app").getSpec().getReplicas() == 2);
        cluster.client().apps().deployments().inNamespace(ns).withName("app").edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });
        eventually().until(() -> cluster.deployment(ns, "app").getSpec().getReplicas() == 2);
        cluster.client().resources(StreambackListener.class).inNamespace(ns).withName("app").delete();

        // A listener whose Deployment name is taken: an API error, a Warning Event.
        cluster.create(new DeploymentBuilder().withNewMetadata().withName("taken").withNamespace(ns).endMetadata()
                .withNewSpec().endSpec().build());
        cluster.create(listener(ns, "taken", "orders"));
        eventually().until(() -> cluster.events(ns, "taken"),
                events -> events.stream().anyMatch(e -> "ReconcileError".equals(e.getReason())));

        // A listener whose Secret is missing.
        StreambackListener orphan = listener(ns, "orphan", "orders");
        orphan.getSpec().getStreamsSecretRef().setName("missing");
        cluster.create(orphan);
        eventually().until(() -> cluster.events(ns, "orphan"),
                events -> events.stream().anyMatch(e -> "SecretNotFound".equals(e.getReason())));

        // An autoscaled listener: the streams URL read from the Secret for the lag (no Kafka here), an Event.
        StreambackListener autoscaled = listener(ns, "autoscaled", "orders");
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setTiers(List.of(new AutoscalingTier(0, 1)));
        autoscaled.getSpec().setAutoscaling(autoscaling);
        cluster.create(autoscaled);
        eventually().until(() -> cluster.events(ns, "autoscaled"),
                events -> events.stream().anyMatch(e -> "LagUnavailable".equals(e.getReason())));
        eventually().until(() -> cluster.deployment(ns, "autoscaled") != null);

        // A schedule: a CronJob, then seconds (the CronJob deleted), then minutes again (the Deployment deleted).
        cluster.create(schedule(ns, "tick", "*/5 * * * *", "ticks"));
        eventually().until(() -> cluster.get(CronJob.class, ns, "tick") != null);
        cluster.edit(StreambackSchedule.class, ns, "tick", s -> s.getSpec().setWhen("*/10 * * * * *"));
        eventually().until(() -> cluster.get(CronJob.class, ns, "tick") == null
                && cluster.deployment(ns, "tick-scheduler") != null);
        cluster.edit(StreambackSchedule.class, ns, "tick", s -> s.getSpec().setWhen("0 * * * *"));
        eventually().until(() -> cluster.deployment(ns, "tick-scheduler") == null
                && cluster.get(CronJob.class, ns, "tick") != null);
        cluster.edit(StreambackSchedule.class, ns, "tick", s -> s.getSpec().setSuspend(true));
        eventually().until(() -> Boolean.TRUE.equals(cluster.get(CronJob.class, ns, "tick").getSpec().getSuspend()));
        cluster.awaitStatusOfCurrentGeneration(StreambackSchedule.class, ns, "tick");
    }
}
