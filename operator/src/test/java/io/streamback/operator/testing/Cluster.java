package io.streamback.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.streamback.operator.OperatorConfig;
import io.streamback.operator.StreambackOperator;
import io.streamback.operator.crd.ConditionedStatus;
import io.streamback.operator.crd.CrdFiles;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The operator running against the real API server of {@link ControlPlane}: the checked-in CRDs
 * installed, a namespace per test, and helpers to read and edit what the operator wrote.
 */
public final class Cluster implements AutoCloseable {

    public static final String WORKER_IMAGE = "example/streamback-worker:test";
    public static final String SOMEONE_ELSES_IMAGE = "example/theirs:1";

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final ControlPlane plane;
    private final KubernetesClient client;
    private final List<StreambackOperator> operators = new ArrayList<>();
    private final List<KubernetesClient> operatorClients = new ArrayList<>();
    private final Queue<ApiCall> operatorCalls = new ConcurrentLinkedQueue<>();
    private final ApiFaults faults = new ApiFaults();
    private final List<String> namespaces = new ArrayList<>();
    public final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));

    private Cluster() {
        plane = ControlPlane.get();
        client = plane.adminClient();
        installCrds(client);
    }

    /** Creates or updates the checked-in CRDs and waits until the API server serves them. */
    private static void installCrds(KubernetesClient client) {
        CrdFiles.FILES.keySet().forEach(type -> client.resource(CrdFiles.load(type)).forceConflicts().serverSideApply());
        CrdFiles.FILES.keySet().forEach(type -> client.apiextensions().v1().customResourceDefinitions()
                .withName(CrdFiles.load(type).getMetadata().getName())
                .waitUntilCondition(crd -> crd.getStatus() != null && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                        30, java.util.concurrent.TimeUnit.SECONDS));
    }

    /** The API server with the CRDs, and no operator yet. */
    public static Cluster withoutOperator() {
        return new Cluster();
    }

    /** The API server with the CRDs and the operator watching all namespaces, default image {@link #WORKER_IMAGE}. */
    public static Cluster withOperator() {
        Cluster cluster = new Cluster();
        cluster.startOperator(OperatorConfig.defaults(WORKER_IMAGE));
        return cluster;
    }

    /** Starts the operator as a cluster admin. */
    public StreambackOperator startOperator(OperatorConfig config) {
        return startOperator(config, plane.adminConfig());
    }

    /** Starts the operator with the client configuration {@code config} (a ServiceAccount's token, say). */
    public StreambackOperator startOperator(OperatorConfig config, Config clientConfig) {
        KubernetesClient operatorClient = new KubernetesClientBuilder()
                .withConfig(clientConfig)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("faults", faults)
                        .addOrReplaceInterceptor("count", counting()))
                .build();
        operatorClients.add(operatorClient);
        StreambackOperator operator = StreambackOperator.start(operatorClient, config, clock, false);
        operators.add(operator);
        return operator;
    }

    private Interceptor counting() {
        return new Interceptor() {
            @Override
            public void after(HttpRequest request, HttpResponse<?> response,
                              AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                operatorCalls.add(new ApiCall(request.method(), request.uri(), response.code()));
            }
        };
    }

    /** A request of the operator's client and the API server's answer. */
    public record ApiCall(String method, URI uri, int code) {
    }

    /** The requests the operators' clients made so far, oldest first (a watch counts once, when opened). */
    public List<ApiCall> operatorCalls() {
        return List.copyOf(operatorCalls);
    }

    /** Errors to inject into the operator's writes, and a record of its attempts. */
    public ApiFaults faults() {
        return faults;
    }

    public ControlPlane controlPlane() {
        return plane;
    }

    /** The test's own client, a cluster admin. */
    public KubernetesClient client() {
        return client;
    }

    public StreambackOperator operator() {
        return operators.get(0);
    }

    /** A new namespace no other test uses, deleted when the cluster is closed. */
    public String namespace(String prefix) {
        return namespace(prefix, Map.of());
    }

    /** A new namespace with {@code labels} (Pod Security levels, say). */
    public String namespace(String prefix, Map<String, String> labels) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .create();
        namespaces.add(name);
        return name;
    }

    public <T extends HasMetadata> T create(T resource) {
        return client.resource(resource).create();
    }

    /** A Deployment the operator did not make, with the name {@code name}: "someone else's". */
    public Deployment createSomeoneElsesDeployment(String namespace, String name) {
        return create(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", "theirs").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "theirs").endMetadata()
                .withNewSpec().addNewContainer().withName("theirs").withImage(SOMEONE_ELSES_IMAGE).endContainer()
                .endSpec().endTemplate()
                .endSpec()
                .build());
    }

    public Secret createStreamsSecret(String namespace, String name, String key, String url) {
        return create(new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToData(key, Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8)))
                .build());
    }

    /** The current state of a resource; null if it does not exist. */
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return client.resources(type).inNamespace(namespace).withName(name).get();
    }

    /**
     * Edits a custom resource's spec, as {@code kubectl edit} would: read, change, write; again if
     * the operator wrote its status in between (409 Conflict).
     */
    public <S extends ConditionedStatus, T extends CustomResource<?, S>> T edit(Class<T> type, String namespace,
                                                                           String name, Consumer<T> change) {
        return editObject(type, namespace, name, change);
    }

    /** {@link #edit} for any kind of object: a Deployment the controllers keep updating, say. */
    public <T extends HasMetadata> T editObject(Class<T> type, String namespace, String name, Consumer<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(type).inNamespace(namespace).withName(name).edit(resource -> {
                    change.accept(resource);
                    return resource;
                });
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Waits until the operator has written a status for the resource's current generation. */
    public <S extends ConditionedStatus, T extends CustomResource<?, S>> T awaitStatusOfCurrentGeneration(
            Class<T> type, String namespace, String name) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> get(type, namespace, name), r -> r != null && r.getStatus() != null
                        && Objects.equals(r.getStatus().getObservedGeneration(), r.getMetadata().getGeneration()));
    }

    /** Events recorded on the object {@code name} in {@code namespace}. */
    public List<Event> events(String namespace, String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    public Deployment deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    /**
     * Plays the kubelet, which this control plane has not: marks the Deployment's pods running and
     * ready until the real ReplicaSet and Deployment controllers report the rollout complete.
     */
    public Deployment reportReady(String namespace, String deployment) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            markReady(namespace, deployment, Integer.MAX_VALUE);
            return deployment(namespace, deployment);
        }, Cluster::rolledOut);
    }

    /**
     * Waits for the Deployment's pods to exist (as many as its replicas), then marks {@code ready}
     * of them running and ready, and waits for the Deployment to count them.
     */
    public void reportPods(String namespace, String deployment, int ready) {
        int replicas = deployment(namespace, deployment).getSpec().getReplicas();
        await().atMost(Duration.ofSeconds(30)).until(() -> pods(namespace, deployment).size() >= replicas);
        markReady(namespace, deployment, ready);
        await().atMost(Duration.ofSeconds(30)).until(() -> deployment(namespace, deployment),
                d -> d.getStatus() != null && Integer.valueOf(ready).equals(d.getStatus().getReadyReplicas()));
    }

    private static boolean rolledOut(Deployment d) {
        int replicas = d.getSpec().getReplicas();
        var status = d.getStatus();
        return status != null && Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())
                && Objects.equals(orZero(status.getReplicas()), replicas)
                && Objects.equals(orZero(status.getUpdatedReplicas()), replicas)
                && Objects.equals(orZero(status.getReadyReplicas()), replicas)
                && Objects.equals(orZero(status.getAvailableReplicas()), replicas);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** The Deployment's pods that are not being deleted. */
    public List<Pod> pods(String namespace, String deployment) {
        Map<String, String> selector = deployment(namespace, deployment).getSpec().getSelector().getMatchLabels();
        return client.pods().inNamespace(namespace).withLabels(selector).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    private void markReady(String namespace, String deployment, int ready) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        pods(namespace, deployment).stream()
                .filter(pod -> !"Running".equals(pod.getStatus().getPhase()))
                .limit(ready)
                .forEach(pod -> {
                    pod.setStatus(new PodStatusBuilder()
                            .withPhase("Running")
                            .withStartTime(now)
                            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
                                    .withLastTransitionTime(now).build())
                            .build());
                    try {
                        client.pods().inNamespace(namespace).resource(pod).updateStatus();
                    } catch (KubernetesClientException gone) {
                        // Deleted or changed meanwhile (a rollout replaces pods): the next round sees what is there.
                        if (gone.getCode() != HttpURLConnection.HTTP_NOT_FOUND
                                && gone.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                            throw gone;
                        }
                    }
                });
    }

    @Override
    public void close() {
        operators.forEach(StreambackOperator::close);
        operatorClients.forEach(KubernetesClient::close);
        namespaces.forEach(ns -> client.namespaces().withName(ns).delete());
        client.close();
        faults.close();
    }
}
