package io.streamback.packaging;

import static io.streamback.packaging.Helm.NAMESPACE;
import static io.streamback.packaging.Helm.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamback.operator.OperatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart through the real helm (v4): lint, and the manifests {@code helm template} renders for
 * the default values, a namespaced install, leader election and a ServiceMonitor, parsed and checked
 * against the operator's RBAC rules, its configuration and the repository's CRDs.
 */
@Tag("helm")
class HelmChartTest {

    static Helm helm;

    /** The ClusterRole and the leader-election Role of operator/src/main/resources/rbac, from the operator's jar. */
    static final List<JsonNode> OPERATOR_RBAC = operatorRbac();

    @BeforeAll
    static void helm() {
        helm = Helm.fromSystemProperty();
    }

    @Test
    void lintPassesStrictlyForEveryShapeOfInstall() {
        for (List<String> values : List.of(List.<String>of(), List.of("--set", "watchNamespaces={team-a,team-b}"),
                List.of("--set", "replicaCount=2", "--set", "metrics.serviceMonitor.enabled=true"))) {
            List<String> args = new ArrayList<>(List.of("lint", "--strict", Helm.CHART.toString()));
            args.addAll(values);
            Helm.Result lint = helm.run(args.toArray(String[]::new)).assertSuccess();
            assertThat(lint.stdout()).as(String.join(" ", values)).contains("1 chart(s) linted, 0 chart(s) failed");
        }
    }

    @Test
    void defaultValuesWatchEveryNamespaceThroughAClusterRoleWithTheOperatorsRules() {
        Rendered rendered = new Rendered(helm.template());

        assertThat(rendered.kinds()).containsExactlyInAnyOrder("CustomResourceDefinition", "CustomResourceDefinition",
                "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Service", "Deployment");
        JsonNode clusterRole = rendered.one("ClusterRole");
        assertThat(rules(clusterRole)).isEqualTo(rules(operatorRbac("ClusterRole")));
        JsonNode binding = rendered.one("ClusterRoleBinding");
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("ClusterRole");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(clusterRole.at("/metadata/name").asText());
        assertServiceAccountIsTheSubject(rendered, binding);

        OperatorConfig config = operatorConfig(rendered);
        assertThat(config.namespaces()).as("all").isEmpty();
        assertThat(config.leaderElection()).isFalse();
        assertThat(config.workerImage()).contains(Image.WORKER.reference());
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(rendered.one("Deployment").at("/spec/strategy/type").asText())
                .as("one replica without a Lease: never two at once").isEqualTo("Recreate");
        assertThat(rendered.one("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
    }

    @Test
    void listedNamespacesGetARoleAndRoleBindingEachAndNothingClusterWide() {
        Rendered rendered = new Rendered(helm.template("--set", "watchNamespaces={team-a,team-b}"));

        assertThat(rendered.kinds()).doesNotContain("ClusterRole", "ClusterRoleBinding");
        for (String namespace : List.of("team-a", "team-b")) {
            JsonNode role = rendered.one("Role", namespace);
            assertThat(rules(role)).isEqualTo(rules(operatorRbac("ClusterRole")));
            JsonNode binding = rendered.one("RoleBinding", namespace);
            assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
            assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
            assertServiceAccountIsTheSubject(rendered, binding);
        }
        assertThat(rendered.all("Role")).hasSize(2);
        assertThat(rendered.all("RoleBinding")).hasSize(2);
        assertThat(operatorConfig(rendered).namespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    }

    @Test
    void severalReplicasElectALeaderThroughALeaseInTheReleaseNamespace() {
        Rendered rendered = new Rendered(helm.template("--set", "replicaCount=2"));

        JsonNode role = rendered.one("Role", NAMESPACE);
        assertThat(rules(role)).isEqualTo(rules(operatorRbac("Role")));
        JsonNode binding = rendered.one("RoleBinding", NAMESPACE);
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
        assertServiceAccountIsTheSubject(rendered, binding);

        OperatorConfig config = operatorConfig(rendered);
        assertThat(config.leaderElection()).isTrue();
        assertThat(config.leaseNamespace()).contains(NAMESPACE);
        assertThat(config.leaseName()).isEqualTo(RELEASE);
        assertThat(config.identity()).as("the pod's name, from the downward API").isEqualTo("pod-from-downward-api");
        JsonNode deployment = rendered.one("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.at("/spec/strategy/type").asText()).as("rolling: a standby takes over").isNotEqualTo("Recreate");

        Rendered single = new Rendered(helm.template("--set", "leaderElection.enabled=true"));
        assertThat(operatorConfig(single).leaderElection()).isTrue();
        assertThat(single.all("Role")).hasSize(1);
        assertThat(new Rendered(helm.template()).all("Role")).as("no Lease access without leader election").isEmpty();
    }

    @Test
    void theOperatorRunsNonRootOnAReadOnlyFilesystemWithNoCapabilities() {
        JsonNode deployment = new Rendered(helm.template()).one("Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(pod.at("/securityContext/runAsUser").asText())
                .isEqualTo(Dockerfile.of(Image.OPERATOR).user().split(":")[0]);

        assertThat(pod.at("/securityContext/runAsGroup").asInt()).isEqualTo(10001);
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            assertThat(pod.path(host).asBoolean(false)).as(host).isFalse();
        }
        assertThat(pod.path("volumes")).as("only the emptyDir on /tmp").hasSize(1);
        assertThat(pod.at("/volumes/0/hostPath").isMissingNode()).isTrue();
        assertThat(pod.path("initContainers").isMissingNode()).isTrue();

        JsonNode container = pod.at("/containers/0");
        assertThat(pod.path("containers")).hasSize(1);
        assertThat(container.at("/securityContext/privileged").asBoolean(false)).as("privileged").isFalse();
        JsonNode security = container.path("securityContext");
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(security.at("/capabilities/add").isMissingNode()).isTrue();
        assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");

        assertThat(container.path("image").asText()).isEqualTo(Image.OPERATOR.reference());
        assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
        assertThat(pod.at("/volumes/0/name").asText()).isEqualTo(container.at("/volumeMounts/0/name").asText());
        assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt())
                .as("the operator's shutdown timeout plus 15 s").isEqualTo(operatorConfigOf(container).shutdownTimeout()
                        .toSeconds() + 15);
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(RELEASE);
    }

    /** Everything the operator may do, as (apiGroup resource verb): rbac.md says why for each. */
    static final Set<String> LEAST_PRIVILEGE = Set.of(
            "streamback.io streambacklisteners get", "streamback.io streambacklisteners list",
            "streamback.io streambacklisteners watch",
            "streamback.io streambackschedules get", "streamback.io streambackschedules list",
            "streamback.io streambackschedules watch",
            "streamback.io streambacklisteners/status patch", "streamback.io streambackschedules/status patch",
            "apps deployments get", "apps deployments list", "apps deployments watch", "apps deployments create",
            "apps deployments patch", "apps deployments delete",
            "batch cronjobs get", "batch cronjobs list", "batch cronjobs watch", "batch cronjobs create",
            "batch cronjobs patch", "batch cronjobs delete",
            " secrets list", " secrets watch", " pods list", " pods watch",
            " events create", " events get", " events patch");
    static final Set<String> LEADER_ELECTION = Set.of("coordination.k8s.io leases get",
            "coordination.k8s.io leases create", "coordination.k8s.io leases update", "coordination.k8s.io leases patch");

    @Test
    void theRenderedRbacGrantsTheOperatorNoMoreThanItNeeds() {
        Map<String, Rendered> installs = new LinkedHashMap<>();
        installs.put("all namespaces", new Rendered(helm.template()));
        installs.put("listed namespaces", new Rendered(helm.template("--set", "watchNamespaces={team-a,team-b}")));
        installs.put("leader election", new Rendered(helm.template("--set", "replicaCount=2")));
        installs.forEach((install, rendered) -> {
            List<JsonNode> roles = new ArrayList<>(rendered.all("ClusterRole"));
            roles.addAll(rendered.all("Role"));
            assertThat(roles).as(install).isNotEmpty();
            for (JsonNode role : roles) {
                String what = install + ": " + role.path("kind").asText() + " " + role.at("/metadata/name").asText();
                Set<String> grants = grants(role);
                assertThat(grants).as(what + ": no wildcard").noneMatch(grant -> grant.contains("*"));
                assertThat(grants).as(what + ": Secrets are only listed and watched (an informer), never written")
                        .filteredOn(grant -> grant.startsWith(" secrets ")).isSubsetOf(" secrets list", " secrets watch");
                assertThat(grants).as(what + ": pods are only listed and watched (an informer), never written")
                        .filteredOn(grant -> grant.startsWith(" pods ")).isSubsetOf(" pods list", " pods watch");
                assertThat(grants).as(what + ": no RBAC, impersonation, exec, logs, tokens or CRDs")
                        .noneMatch(grant -> grant.startsWith("rbac.authorization.k8s.io ")
                                || grant.matches(".* (escalate|bind|impersonate)$")
                                || grant.matches(" (pods/\\S+|serviceaccounts|serviceaccounts/token|nodes|namespaces) .*")
                                || grant.startsWith("apiextensions.k8s.io "));
                assertThat(grants).as(what + ": the custom resources are only read (status apart): no finalizers")
                        .filteredOn(grant -> grant.matches("streamback\\.io streamback(listeners|schedules) .*"))
                        .allMatch(grant -> grant.matches(".* (get|list|watch)$"));
                if (role.path("kind").asText().equals("ClusterRole") || !grants.equals(LEADER_ELECTION)) {
                    assertThat(grants).as(what).isEqualTo(LEAST_PRIVILEGE);
                } else {
                    assertThat(role.at("/metadata/namespace").asText()).as(what + ": the Lease's Role is the release's "
                            + "namespace only").isEqualTo(NAMESPACE);
                }
            }
        });
        assertThat(installs.get("all namespaces").all("Role")).as("no Lease access without leader election").isEmpty();
        assertThat(installs.get("leader election").all("Role")).extracting(HelmChartTest::grants)
                .containsExactly(LEADER_ELECTION);
    }

    @Test
    void theDefaultWorkerImageCanBeChangedOrLeftOut() {
        assertThat(operatorConfig(new Rendered(helm.template("--set", "workerImage.repository=streamback/examples"))))
                .extracting(OperatorConfig::workerImage).asString().contains(Image.EXAMPLES.reference());
        assertThat(operatorConfig(new Rendered(helm.template("--set", "workerImage.tag=1.2.3"))).workerImage())
                .contains(Image.WORKER.repository + ":1.2.3");
        assertThat(operatorConfig(new Rendered(helm.template("--set", "workerImage.repository="))).workerImage())
                .isEmpty();
        assertThat(new Rendered(helm.template("--set", "image.tag=9.9.9")).one("Deployment")
                .at("/spec/template/spec/containers/0/image").asText()).isEqualTo(Image.OPERATOR.repository + ":9.9.9");
    }

    @Test
    void theCrdsAreTheRepositorysAndInstalledFromTheChartsCrdsFolder() throws IOException {
        Rendered rendered = new Rendered(helm.template());
        List<JsonNode> expected = new ArrayList<>();
        for (Path file : ChartFilesTest.files(Repo.path("crds"))) {
            expected.addAll(Helm.parse(Files.readString(file, StandardCharsets.UTF_8)));
        }
        assertThat(rendered.all("CustomResourceDefinition")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rendered.all("CustomResourceDefinition")).extracting(crd -> crd.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("streambacklisteners.streamback.io", "streambackschedules.streamback.io");
    }

    @Test
    void aMetricsServiceAlwaysAndAServiceMonitorOnlyWhenAskedFor() {
        Rendered defaults = new Rendered(helm.template());
        JsonNode service = defaults.one("Service");
        JsonNode podLabels = defaults.one("Deployment").at("/spec/template/metadata/labels");
        service.at("/spec/selector").fields().forEachRemaining(label ->
                assertThat(podLabels.path(label.getKey()).asText()).as(label.getKey()).isEqualTo(label.getValue().asText()));
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(defaults.kinds()).doesNotContain("ServiceMonitor");

        Rendered monitored = new Rendered(helm.template("--set", "metrics.serviceMonitor.enabled=true",
                "--set", "metrics.serviceMonitor.labels.release=prometheus"));
        JsonNode monitor = monitored.one("ServiceMonitor");
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        JsonNode monitoredService = monitored.one("Service");
        monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(label ->
                assertThat(monitoredService.at("/metadata/labels").path(label.getKey()).asText()).as(label.getKey())
                        .isEqualTo(label.getValue().asText()));
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo(monitoredService.at("/spec/ports/0/name").asText());
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(texts(monitor.at("/spec/namespaceSelector/matchNames"))).containsExactly(NAMESPACE);

        assertThat(new Rendered(helm.template("--set", "metrics.service.enabled=false")).kinds()).doesNotContain("Service");
    }

    @Test
    void valuesThatCannotWorkAreRefused() {
        Helm.Result all = helm.run("template", RELEASE, Helm.CHART.toString(), "--set", "watchNamespaces={*}");
        assertThat(all.exitCode()).isNotZero();
        assertThat(all.stderr()).contains("leave the list empty to watch all namespaces");

        Helm.Result monitor = helm.run("template", RELEASE, Helm.CHART.toString(),
                "--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.service.enabled=false");
        assertThat(monitor.exitCode()).isNotZero();
        assertThat(monitor.stderr()).contains("metrics.serviceMonitor.enabled needs metrics.service.enabled");

        Helm.Result account = helm.run("template", RELEASE, Helm.CHART.toString(), "--set", "serviceAccount.create=false");
        assertThat(account.exitCode()).isNotZero();
        assertThat(account.stderr()).contains("serviceAccount.name is required");
    }

    @Test
    void theNotesSayWhatToApplyNext() {
        Helm.Result install = helm.run("install", RELEASE, Helm.CHART.toString(), "--namespace", NAMESPACE,
                "--dry-run=client", "--set", "watchNamespaces={team-a}").assertSuccess();
        String notes = install.stdout().substring(install.stdout().indexOf("NOTES:"));
        assertThat(notes).contains("kubectl -n " + NAMESPACE + " rollout status deployment/" + RELEASE)
                .contains("kubectl apply -f examples/k8s/")
                .contains("kubectl -n streamback-demo get streambacklisteners,streambackschedules")
                .contains("--replicas=3")
                .contains("the namespaces team-a")
                .contains("streamback-demo is not watched")
                .contains("--set workerImage.repository=streamback/examples");
    }

    // --- helpers

    /** The rules as sets of (apiGroups, resources, verbs), in no particular order. */
    static Set<String> rules(JsonNode roleOrClusterRole) {
        JsonNode rules = roleOrClusterRole.path("rules");
        assertThat(rules.isArray() && !rules.isEmpty()).as("rules of " + roleOrClusterRole.at("/metadata/name")).isTrue();
        Set<String> normalized = new TreeSet<>();
        rules.forEach(rule -> {
            assertThat(rule.fieldNames()).toIterable().as("no resourceNames or nonResourceURLs")
                    .containsExactlyInAnyOrder("apiGroups", "resources", "verbs");
            normalized.add(new TreeSet<>(texts(rule.path("apiGroups"))) + " " + new TreeSet<>(texts(rule.path("resources")))
                    + " " + new TreeSet<>(texts(rule.path("verbs"))));
        });
        assertThat(normalized).hasSize(rules.size());
        assertThat(normalized).as("no wildcard").noneMatch(rule -> rule.contains("*"));
        return normalized;
    }

    /** What a Role or ClusterRole grants, one "apiGroup resource verb" per entry. */
    static Set<String> grants(JsonNode role) {
        Set<String> grants = new TreeSet<>();
        role.path("rules").forEach(rule -> {
            for (String group : texts(rule.path("apiGroups"))) {
                for (String resource : texts(rule.path("resources"))) {
                    for (String verb : texts(rule.path("verbs"))) {
                        grants.add(group + " " + resource + " " + verb);
                    }
                }
            }
        });
        return grants;
    }

    static JsonNode operatorRbac(String kind) {
        return OPERATOR_RBAC.stream().filter(doc -> doc.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    private static List<JsonNode> operatorRbac() {
        try (InputStream in = OperatorConfig.class.getResourceAsStream("/rbac/streamback-operator-rbac.yaml")) {
            if (in == null) {
                throw new IllegalStateException("rbac/streamback-operator-rbac.yaml is not in the operator's jar");
            }
            return Helm.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void onTheHostNetworkTheEndpointsListenAndAreProbedWhereTheValuesSay() throws Exception {
        JsonNode pod = new Rendered(helm.template("--set", "hostNetwork=true", "--set", "httpAddress=127.0.0.1",
                "--set", "httpPort=18080")).one("Deployment").at("/spec/template/spec");
        assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
        assertThat(pod.path("dnsPolicy").asText()).isEqualTo("ClusterFirstWithHostNet");
        JsonNode container = pod.at("/containers/0");
        OperatorConfig config = operatorConfigOf(container);
        assertThat(config.httpPort()).isEqualTo(18080);
        assertThat(config.httpAddress()).contains(java.net.InetAddress.getByName("127.0.0.1"));
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(18080);
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/host").asText()).as(probe).isEqualTo("127.0.0.1");
        }

        JsonNode byDefault = new Rendered(helm.template()).one("Deployment").at("/spec/template/spec/containers/0");
        assertThat(operatorConfigOf(byDefault).httpAddress()).as("every interface").isEmpty();
        assertThat(byDefault.at("/readinessProbe/httpGet/host").isMissingNode()).as("the pod's IP").isTrue();
    }

    void assertServiceAccountIsTheSubject(Rendered rendered, JsonNode binding) {
        JsonNode account = rendered.one("ServiceAccount");
        assertThat(binding.path("subjects")).hasSize(1);
        assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account.at("/metadata/name").asText());
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(account.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(rendered.one("Deployment").at("/spec/template/spec/serviceAccountName").asText())
                .isEqualTo(account.at("/metadata/name").asText());
    }

    /** The operator's configuration from the rendered container's environment, as the operator reads it. */
    static OperatorConfig operatorConfig(Rendered rendered) {
        return operatorConfigOf(rendered.one("Deployment").at("/spec/template/spec/containers/0"));
    }

    static OperatorConfig operatorConfigOf(JsonNode container) {
        Set<String> known = Arrays.stream(OperatorConfig.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .map(HelmChartTest::constant).collect(Collectors.toSet());
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(variable -> {
            String name = variable.path("name").asText();
            assertThat(known.contains(name) || Set.of("POD_NAME", "POD_NAMESPACE", "JAVA_TOOL_OPTIONS").contains(name))
                    .as("%s is a variable the operator reads", name).isTrue();
            JsonNode field = variable.at("/valueFrom/fieldRef/fieldPath");
            String value = switch (field.asText()) {
                case "metadata.name" -> "pod-from-downward-api";
                case "metadata.namespace" -> NAMESPACE;
                default -> {
                    assertThat(variable.path("value").isTextual()).as("%s is a string", name).isTrue();
                    yield variable.path("value").asText();
                }
            };
            assertThat(env.put(name, value)).as("%s set once", name).isNull();
        });
        return OperatorConfig.fromEnvironment(env);
    }

    private static String constant(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The documents helm rendered. */
    record Rendered(List<JsonNode> documents) {
        List<String> kinds() {
            return documents.stream().map(doc -> doc.path("kind").asText()).toList();
        }

        List<JsonNode> all(String kind) {
            return documents.stream().filter(doc -> doc.path("kind").asText().equals(kind)).toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> all = all(kind);
            assertThat(all).as("one " + kind).hasSize(1);
            JsonNode only = all.get(0);
            assertThat(only).isInstanceOf(ObjectNode.class);
            return only;
        }

        JsonNode one(String kind, String namespace) {
            List<JsonNode> all = all(kind).stream()
                    .filter(doc -> doc.at("/metadata/namespace").asText().equals(namespace)).toList();
            assertThat(all).as("one " + kind + " in " + namespace).hasSize(1);
            return all.get(0);
        }
    }
}
