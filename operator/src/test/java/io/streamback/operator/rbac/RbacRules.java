package io.streamback.operator.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;

/** The operator's RBAC rules, as shipped in {@code rbac/streamback-operator-rbac.yaml}. */
final class RbacRules {

    final ClusterRole clusterRole;
    final Role leaderElectionRole;

    private RbacRules(ClusterRole clusterRole, Role leaderElectionRole) {
        this.clusterRole = clusterRole;
        this.leaderElectionRole = leaderElectionRole;
    }

    static RbacRules load() {
        try (InputStream in = RbacRules.class.getResourceAsStream("/rbac/streamback-operator-rbac.yaml")) {
            List<HasMetadata> objects = new KubernetesSerialization().unmarshal(in);
            ClusterRole clusterRole = objects.stream().filter(ClusterRole.class::isInstance)
                    .map(ClusterRole.class::cast).findFirst().orElseThrow();
            Role role = objects.stream().filter(Role.class::isInstance).map(Role.class::cast).findFirst().orElseThrow();
            return new RbacRules(clusterRole, role);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the rules allow {@code request}: the ClusterRole anywhere, the leader-election Role in
     * {@code leaseNamespace} only.
     */
    boolean allows(ApiRequest request, String leaseNamespace) {
        if (clusterRole.getRules().stream().anyMatch(rule -> matches(rule, request))) {
            return true;
        }
        return leaseNamespace.equals(request.namespace())
                && leaderElectionRole.getRules().stream().anyMatch(rule -> matches(rule, request));
    }

    static boolean matches(PolicyRule rule, ApiRequest request) {
        return rule.getApiGroups().contains(request.group())
                && rule.getResources().contains(request.resource())
                && rule.getVerbs().contains(request.verb());
    }

    /** What a SelfSubjectRulesReview in the lease namespace answers for these rules. */
    List<ResourceRule> resourceRulesInLeaseNamespace() {
        return Stream.concat(clusterRole.getRules().stream(), leaderElectionRole.getRules().stream())
                .map(rule -> new ResourceRuleBuilder()
                        .withApiGroups(rule.getApiGroups())
                        .withResources(rule.getResources())
                        .withVerbs(rule.getVerbs())
                        .build())
                .toList();
    }
}
