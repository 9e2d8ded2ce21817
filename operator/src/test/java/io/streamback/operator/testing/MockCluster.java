package io.streamback.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.streamback.operator.OperatorConfig;
import io.streamback.operator.StreambackOperator;
import io.streamback.operator.crd.ConditionedStatus;
import io.streamback.operator.crd.CrdFiles;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackSchedule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API for tests: the fabric8 mock server in CRUD mode with the checked-in CRDs
 * installed, and the real operator running against it.
 *
 * <p>The mock stores and serves objects and watches like an API server, but runs no controllers:
 * no pods appear and nothing is garbage-collected. {@link #reportReady} plays the Deployment
 * controller when a test needs pods to be ready.
 */
public final class MockCluster implements AutoCloseable {

    public static final String WORKER_IMAGE = "example/streamback-worker:test";
    /** User agent of the operator's client, to tell its requests from the test's. */
    public static final String OPERATOR_USER_AGENT = "streamback-operator-under-test";

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    /** The mock web server logs every request through java.util.logging; keep that quiet. */
    private static final Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final ApiFaults faults;
    private final KubernetesClient client;
    private final List<StreambackOperator> operators = new ArrayList<>();
    private final List<KubernetesClient> operatorClients = new ArrayList<>();
    public final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));

    private MockCluster() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        faults = new ApiFaults(new KubernetesMixedDispatcher(responses));
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, faults, false);
        server.init();
        client = server.createClient();
        CrdFiles.FILES.keySet().forEach(type ->
                client.apiextensions().v1().customResourceDefinitions().resource(CrdFiles.load(type)).create());
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.WARNING);
        return logger;
    }

    /** A mock API server with the CRDs, and no operator yet. */
    public static MockCluster withoutOperator() {
        return new MockCluster();
    }

    /** A mock API server with the CRDs and the operator watching all namespaces, default image {@link #WORKER_IMAGE}. */
    public static MockCluster withOperator() {
        MockCluster cluster = new MockCluster();
        cluster.startOperator(OperatorConfig.defaults(WORKER_IMAGE));
        return cluster;
    }

    public StreambackOperator startOperator(OperatorConfig config) {
        KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(operatorClientConfig()).build();
        operatorClients.add(operatorClient);
        StreambackOperator operator = StreambackOperator.start(operatorClient, config, clock, false);
        operators.add(operator);
        return operator;
    }

    private Config operatorClientConfig() {
        return new ConfigBuilder(client.getConfiguration()).withUserAgent(OPERATOR_USER_AGENT).build();
    }

    public KubernetesMockServer server() {
        return server;
    }

    /** Errors to inject into the operator's writes, and a record of its attempts. */
    public ApiFaults faults() {
        return faults;
    }

    /** The test's own client (its requests are not the operator's). */
    public KubernetesClient client() {
        return client;
    }

    public StreambackOperator operator() {
        return operators.get(0);
    }

    /** A namespace no other test uses. The mock needs no Namespace object. */
    public static String uniqueNamespace(String prefix) {
        return prefix + "-" + NAMESPACES.incrementAndGet();
    }

    public <T extends HasMetadata> T create(T resource) {
        return client.resource(resource).create();
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
     * Edits a custom resource's spec once the operator has written a status for its current
     * generation, as a user would after {@code kubectl get}.
     *
     * <p>Waiting also steers clear of a fault of the mock server: a JSON patch of an object that
     * has no status yet stores {@code "status": null}, and every later status patch of it fails.
     */
    public <S extends ConditionedStatus, T extends CustomResource<?, S>> T edit(Class<T> type, String namespace, String name,
                                                                           Consumer<T> change) {
        awaitStatusOfCurrentGeneration(type, namespace, name);
        return client.resources(type).inNamespace(namespace).withName(name).edit(resource -> {
            change.accept(resource);
            return resource;
        });
    }

    /** Waits until the operator has written a status for the resource's current generation. */
    public <S extends ConditionedStatus, T extends CustomResource<?, S>> T awaitStatusOfCurrentGeneration(Class<T> type, String namespace, String name) {
        return await().atMost(Duration.ofSeconds(20))
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
     * Plays the Deployment controller and the kubelet: every desired pod of the Deployment runs the
     * current template and is ready.
     */
    public void reportReady(String namespace, String name) {
        reportPods(namespace, name, null);
    }

    /** Like {@link #reportReady}, with only {@code ready} pods ready (null: all of them). */
    public void reportPods(String namespace, String name, Integer ready) {
        client.apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> {
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            int readyPods = ready == null ? replicas : ready;
            d.setStatus(new DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(replicas)
                    .withUpdatedReplicas(replicas)
                    .withReadyReplicas(readyPods)
                    .withAvailableReplicas(readyPods)
                    .build());
            return d;
        });
    }

    /**
     * Plays the garbage collector: deletes the Deployments and CronJobs in {@code namespace} whose
     * controlling owner no longer exists.
     *
     * @return the names of the objects deleted
     */
    public List<String> collectGarbage(String namespace) {
        List<HasMetadata> owned = new ArrayList<>();
        owned.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        owned.addAll(client.batch().v1().cronjobs().inNamespace(namespace).list().getItems());
        List<String> owners = new ArrayList<>();
        client.resources(StreambackListener.class).inNamespace(namespace).list().getItems()
                .forEach(l -> owners.add(l.getMetadata().getUid()));
        client.resources(StreambackSchedule.class).inNamespace(namespace).list().getItems()
                .forEach(s -> owners.add(s.getMetadata().getUid()));
        List<String> deleted = new ArrayList<>();
        for (HasMetadata object : owned) {
            boolean orphan = object.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && !owners.contains(o.getUid()));
            if (orphan) {
                client.resource(object).delete();
                deleted.add(object.getMetadata().getName());
            }
        }
        return deleted;
    }

    /**
     * Answers SelfSubjectRulesReviews (which the operator SDK makes to check its Lease access
     * before leader election) with {@code rules}. The mock server would otherwise store the
     * review and answer it without a status.
     */
    public void answerRulesReviews(List<ResourceRule> rules) {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder()
                        .withNewSpec().endSpec()
                        .withNewStatus().withIncomplete(false).withResourceRules(rules).endStatus()
                        .build())
                .always();
    }

    /** Every request the mock server received so far, oldest first, removed from its log. */
    public List<RecordedRequest> drainRequests() {
        List<RecordedRequest> requests = new ArrayList<>();
        try {
            RecordedRequest request;
            while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
                requests.add(request);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return requests;
    }

    /** Whether a request came from the operator's client. */
    public static boolean fromOperator(RecordedRequest request) {
        String agent = request.getHeader("User-Agent");
        return agent != null && agent.contains(OPERATOR_USER_AGENT);
    }

    @Override
    public void close() {
        operators.forEach(StreambackOperator::close);
        operatorClients.forEach(KubernetesClient::close);
        client.close();
        server.destroy();
    }
}
