package io.streamback.operator.rbac;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import java.util.List;

/** The RBAC rules for tests outside this package (leader election needs them answered). */
public final class RbacRulesAccess {

    private RbacRulesAccess() {
    }

    public static List<ResourceRule> leaseNamespaceRules() {
        return RbacRules.load().resourceRulesInLeaseNamespace();
    }
}
