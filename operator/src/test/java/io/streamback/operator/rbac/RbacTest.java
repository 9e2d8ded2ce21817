package io.streamback.operator.rbac;

import static io.streamback.operator.testing.TestResources.listener;
import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.streamback.operator.OperatorConfig;
import io.streamback.operator.crd.Autoscaling;
import io.streamback.operator.crd.AutoscalingTier;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The RBAC rules the Helm chart grants are enough and no more, on a real API server that enforces
 * them: the operator runs authenticated as the chart's ServiceAccount (a token from the
 * TokenRequest API), goes through its scenarios, and is refused nothing (0 x 403); and every rule
 * is used.
 */
class RbacTest {

    static final String SERVICE_ACCOUNT = "streamback-operator";

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    @Test
    void clusterWideTheOperatorNeedsNoMoreThanItsRbacRulesAndUsesThemAll() {
        RbacRules rules = RbacRules.load();
        try (Cluster cluster = Cluster.withoutOperator()) {
            String operatorNs = cluster.namespace("rbac-operator");
            Subject operator = serviceAccount(cluster, operatorNs);
            String name = "streamback-operator-" + operatorNs;
            cluster.create(new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata()
                    .withRules(rules.clusterRole.getRules()).build());
            cluster.create(new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                    .withSubjects(operator).build());
            grantLeaderElection(cluster, rules, operatorNs, operator);

            cluster.startOperator(OperatorConfig.defaults(Cluster.WORKER_IMAGE)
                    .withLeaderElection(operatorNs, "rbac-test", false, Duration.ofSeconds(3)), tokenOf(cluster, operatorNs));
            eventually().until(() -> cluster.get(Lease.class, operatorNs, "streamback-operator") != null);

            String ns = cluster.namespace("rbac");
            runScenarios(cluster, ns);

            List<ApiRequest> requests = requests(cluster, Set.of(operatorNs, ns));
            Set<String> used = new TreeSet<>();
            requests.forEach(r -> used.add(r.group() + " " + r.resource() + " " + r.verb()));
            Set<String> granted = new TreeSet<>();
            Stream.concat(rules.clusterRole.getRules().stream(), rules.leaderElectionRole.getRules().stream())
                    .forEach(rule -> grants(rule, granted));
            // The operator SDK checks for 'update' and 'create' on the Lease before it starts, though renewals patch it.
            used.add("coordination.k8s.io leases update");
            used.add("coordination.k8s.io leases create");
            // 'get' beside 'list' grants nothing more; the rules keep it for fetches of single objects.
            granted.removeIf(g -> g.endsWith(" get") && granted.contains(g.replaceAll(" get$", " list")));
            assertThat(granted).as("rules the operator never used").isSubsetOf(used);
        }
    }

    @Test
    void watchingOneNamespaceARoleThereIsEnough() {
        RbacRules rules = RbacRules.load();
        try (Cluster cluster = Cluster.withoutOperator()) {
            String operatorNs = cluster.namespace("rbac-operator");
            String watched = cluster.namespace("rbac-watched");
            Subject operator = serviceAccount(cluster, operatorNs);
            // The chart's namespaced mode: a Role and a RoleBinding in each watched namespace, nothing cluster-wide.
            cluster.create(new RoleBuilder().withNewMetadata().withName("streamback-operator").withNamespace(watched)
                    .endMetadata().withRules(rules.clusterRole.getRules()).build());
            cluster.create(new RoleBindingBuilder().withNewMetadata().withName("streamback-operator")
                    .withNamespace(watched).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "Role", "streamback-operator")
                    .withSubjects(operator).build());

            cluster.startOperator(OperatorConfig.defaults(Cluster.WORKER_IMAGE).withNamespaces(Set.of(watched)),
                    tokenOf(cluster, operatorNs));
            runScenarios(cluster, watched);
            assertThat(requests(cluster, Set.of(watched))).extracting(ApiRequest::namespace).containsOnly(watched);
        }
    }

    /**
     * Every request of the operator in {@code namespaces} (or cluster-wide), after checking the API
     * server refused none. Requests in other namespaces are about what earlier tests left behind,
     * in namespaces being deleted, where the API server refuses to create anything (403) whatever
     * the RBAC rules.
     */
    private static List<ApiRequest> requests(Cluster cluster, Set<String> namespaces) {
        List<Cluster.ApiCall> calls = cluster.operatorCalls().stream()
                .filter(c -> {
                    String namespace = ApiRequest.of(c.method(), c.uri()).namespace();
                    return namespace == null || namespaces.contains(namespace);
                })
                .toList();
        assertThat(calls).isNotEmpty();
        assertThat(calls).as("requests the API server refused (403)").filteredOn(c -> c.code() == 403)
                .extracting(c -> c.method() + " " + c.uri())
                .isEmpty();
        return calls.stream()
                // A server-side apply that creates the object (201) is authorized as create.
                .map(c -> ApiRequest.of(c.code() == 201 && c.method().equals("PATCH") ? "POST" : c.method(), c.uri()))
                .filter(r -> !r.isNonResource())
                .filter(r -> !r.resource().equals("selfsubjectrulesreviews"))
                .toList();
    }

    private static Subject serviceAccount(Cluster cluster, String namespace) {
        cluster.create(new ServiceAccountBuilder().withNewMetadata().withName(SERVICE_ACCOUNT).withNamespace(namespace)
                .endMetadata().build());
        return new SubjectBuilder().withKind("ServiceAccount").withName(SERVICE_ACCOUNT).withNamespace(namespace).build();
    }

    private static void grantLeaderElection(Cluster cluster, RbacRules rules, String namespace, Subject operator) {
        cluster.create(new RoleBuilder().withNewMetadata().withName("streamback-operator-leader-election")
                .withNamespace(namespace).endMetadata().withRules(rules.leaderElectionRole.getRules()).build());
        cluster.create(new RoleBindingBuilder().withNewMetadata().withName("streamback-operator-leader-election")
                .withNamespace(namespace).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "streamback-operator-leader-election")
                .withSubjects(operator).build());
    }

    /** A client configuration with a token of the ServiceAccount, from the TokenRequest API, as a pod would have. */
    private static Config tokenOf(Cluster cluster, String namespace) {
        String token = cluster.client().serviceAccounts().inNamespace(namespace).withName(SERVICE_ACCOUNT)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        return cluster.controlPlane().configFor(token);
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
    private static void runScenarios(Cluster cluster, String ns) {
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);

        // A listener: created, changed, drifted, then deleted.
        cluster.create(listener(ns, "app", "orders"));
        eventually().until(() -> cluster.deployment(ns, "app") != null);
        cluster.edit(StreambackListener.class, ns, "app", l -> l.getSpec().setConcurrency(2));
        eventually().until(() -> cluster.deployment(ns, "app").getSpec().getReplicas() == 2);
        cluster.client().apps().deployments().inNamespace(ns).withName("app")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":5}}");
        eventually().until(() -> cluster.deployment(ns, "app").getSpec().getReplicas() == 2);
        cluster.awaitStatusOfCurrentGeneration(StreambackListener.class, ns, "app");
        cluster.client().resources(StreambackListener.class).inNamespace(ns).withName("app").delete();

        // A listener whose Secret is missing (a Warning Event), then created (reconciled through the informer).
        StreambackListener orphan = listener(ns, "orphan", "orders");
        orphan.getSpec().getStreamsSecretRef().setName("missing");
        cluster.create(orphan);
        eventually().until(() -> cluster.events(ns, "orphan"),
                events -> events.stream().anyMatch(e -> "SecretNotFound".equals(e.getReason())));
        cluster.createStreamsSecret(ns, "missing", "streams", TestResources.STREAMS_URL);
        eventually().until(() -> cluster.deployment(ns, "orphan") != null);
        // Deleted again: the same Warning, counted on the same Event.
        cluster.client().secrets().inNamespace(ns).withName("missing").delete();
        eventually().until(() -> cluster.events(ns, "orphan"),
                events -> events.stream().anyMatch(e -> "SecretNotFound".equals(e.getReason()) && e.getCount() == 2));

        // Someone else's Deployment has a listener's name: an error the operator retries with backoff.
        cluster.createSomeoneElsesDeployment(ns, "taken");
        cluster.create(listener(ns, "taken", "orders"));
        eventually().until(() -> cluster.events(ns, "taken"),
                events -> events.stream().anyMatch(e -> "ReconcileError".equals(e.getReason())));

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
