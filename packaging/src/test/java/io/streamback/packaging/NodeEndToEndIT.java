package io.streamback.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streamback.Streamback;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.testing.ControlPlane;
import io.streamback.testkit.KafkaBroker;
import io.streamback.testkit.RedisServer;
import io.streamback.testkit.Testkit;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The project used as its users use it, on a real single-node Kubernetes ({@code .ci/node}: kubelet,
 * kube-scheduler and containerd beside the operator tests' control plane): the operator installed by
 * {@code helm install} runs as a pod, listeners applied with {@code kubectl apply} run the examples
 * image in pods that answer the CLI and the Python library, and {@code kubectl scale} moves real pods;
 * a missing image and unreachable streams show in the listener's status, autoscaling on lag and
 * {@code autoRestart.maxSeconds} move real pods too.
 * Kafka and Redis are the testkit's, bound to the node's bridge address (which pods reach) and to
 * nothing outside this host. The steps build on each other, in order; each prints what it measured
 * (lines starting with E2E).
 */
@Tag("node")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeEndToEndIT {

    static final String NAMESPACE = "streamback-e2e";
    static final String LISTENER = "hello";
    static final String GROUP = "e2e-hello";
    static final int PARTITIONS = 6;
    static final List<String> TOPICS = List.of("test_hello_rpc", "test_hello_stream", "test_input");

    static Helm helm;
    static ControlPlane plane;
    static KubernetesClient client;
    static Path kubeconfig;
    static KafkaBroker kafka;
    static RedisServer redis;
    static String streams;
    static boolean nodeStarted;

    @BeforeAll
    static void startTheNode() {
        helm = Helm.fromSystemProperty();
        Podman.buildProjectImages();
        plane = ControlPlane.get();
        client = plane.adminClient();
        kubeconfig = plane.writeKubeconfig();
        nodeStarted = true;
        KubeNode.start(kubeconfig);
        KubeNode.load(Image.OPERATOR.reference(), Image.EXAMPLES.reference());
        kafka = KafkaBroker.builder().host(KubeNode.BRIDGE_ADDRESS).partitions(PARTITIONS).start();
        redis = RedisServer.builder()
                .argument("--bind", "127.0.0.1", KubeNode.BRIDGE_ADDRESS, "--protected-mode", "no")
                .start();
        streams = "main=kafka://" + kafka.bootstrapServers() + "&feedback=redis://" + KubeNode.BRIDGE_ADDRESS + ":"
                + redis.port();
        TOPICS.forEach(topic -> kafka.createTopic(topic, PARTITIONS));
    }

    @AfterAll
    static void stopTheNode() {
        if (client != null) {
            client.close();
        }
        // Kafka and Redis before the node: stopping it removes the bridge address they listen on.
        if (kafka != null) {
            kafka.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (nodeStarted) {
            KubeNode.stop();
        }
    }

    /** Prints a measurement and appends it to packaging/target/node/measurements.txt. */
    static void measured(String line) throws java.io.IOException {
        System.out.println("E2E " + line);
        Files.writeString(Repo.scratch("node").resolve("measurements.txt"), Instant.now() + " " + line + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    static ConditionFactory within(Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(250));
    }

    @Test
    @Order(1)
    void helmInstallsTheOperatorWhichRunsAsAPodBecomesReadyAndHoldsItsLease() throws Exception {
        int httpPort = LocalHttp.freePort();
        String apiPort = String.valueOf(URI.create(plane.url()).getPort());
        // The API server listens on the node's loopback: the operator's pod runs on the host network,
        // its in-cluster configuration pointed there, its own endpoints kept on loopback too.
        Path values = Files.writeString(Repo.scratch("node").resolve("operator-values.yaml"), """
                image: {repository: streamback/operator, tag: "%1$s", pullPolicy: Never}
                workerImage: {repository: streamback/examples, tag: "%1$s"}
                hostNetwork: true
                httpAddress: 127.0.0.1
                httpPort: %2$d
                leaderElection: {enabled: true}
                extraEnv:
                  - {name: KUBERNETES_SERVICE_HOST, value: 127.0.0.1}
                  - {name: KUBERNETES_SERVICE_PORT, value: "%3$s"}
                """.formatted(Repo.version(), httpPort, apiPort));

        Instant start = Instant.now();
        helm.run("install", Helm.RELEASE, Helm.CHART.toString(), "--namespace", Helm.NAMESPACE, "--create-namespace",
                "--values", values.toString(), "--kubeconfig", kubeconfig.toString()).assertSuccess();
        Pod operator = within(Duration.ofMinutes(3)).until(() -> readyPods(Helm.NAMESPACE), pods -> pods.size() == 1)
                .get(0);
        measured("helm install to operator pod Ready: " + Duration.between(start, Instant.now()).toMillis()
                + " ms");

        assertThat(operator.getSpec().getHostNetwork()).isTrue();
        assertThat(LocalHttp.status(httpPort, "/readyz")).isEqualTo(200);
        Lease lease = within(Duration.ofSeconds(30)).until(
                () -> client.leases().inNamespace(Helm.NAMESPACE).withName(Helm.RELEASE).get(),
                l -> l != null && l.getSpec().getHolderIdentity() != null);
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(operator.getMetadata().getName());
    }

    @Test
    @Order(2)
    void kubectlApplyGivesListenerPodsThatAnswerTheCliAndPython() throws Exception {
        Path manifest = Files.writeString(Repo.scratch("node").resolve("listener.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %1$s
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: streamback-streams
                  namespace: %1$s
                stringData:
                  streams: "%2$s"
                ---
                apiVersion: streamback.io/v1alpha1
                kind: StreambackListener
                metadata:
                  name: %3$s
                  namespace: %1$s
                spec:
                  image: streamback/examples:%4$s
                  imagePullPolicy: Never
                  topics: [%5$s]
                  group: %6$s
                  streamsSecretRef: {name: streamback-streams, key: streams}
                  shutdownTimeoutSeconds: 20
                  env:
                    - {name: STREAMBACK_APP, value: io.streamback.examples.ExampleApp}
                """.formatted(NAMESPACE, streams, LISTENER, Repo.version(), String.join(", ", TOPICS), GROUP));

        Instant start = Instant.now();
        kubectl("apply", "-f", manifest.toString());
        within(Duration.ofMinutes(3)).until(() -> readyReplicas(LISTENER) == 1);
        Instant ready = Instant.now();
        assertThat(cli("send", "test_hello_rpc", "{\"something\": \"Hello world!\"}", "--wait", "60s"))
                .isEqualTo("\"Hello from the consumer!\"\n");
        measured("kubectl apply to pod Ready: " + Duration.between(start, ready).toMillis()
                + " ms; to the first reply: " + Duration.between(start, Instant.now()).toMillis() + " ms");

        assertThat(cli("send", "test_hello_stream", "{}", "--stream").lines().toList())
                .hasSize(10).startsWith("\"Hello #0 from the consumer!\"");
        Process error = cliProcess("send", "test_input", "\"not an object\"", "--wait", "30s");
        String errorOutput = new String(error.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(error.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(error.exitValue()).as(errorOutput).isNotZero();
        assertThat(errorOutput).as("the listener's error reaches the CLI")
                .contains("Listener group '" + GROUP + "' failed on the message sent to topic 'test_input'")
                .contains("Cannot read a string as io.streamback.examples.InputListeners$TestInput");

        assertThat(python("--read", "--topic", "test_hello_rpc", "--value", "{\"something\": \"from Python\"}"))
                .contains("{\"reply\": \"Hello from the consumer!\"}");
        assertThat(python("--stream", "--topic", "test_hello_stream", "--value", "{}"))
                .contains("{\"reply\": \"Hello #9 from the consumer!\"}").contains("{\"end\": true}");
        assertThat(python("--read", "--topic", "test_input", "--value", "\"not an object\""))
                .contains("{\"error\": ");

        StreambackListener listener = within(Duration.ofSeconds(30)).until(
                () -> client.resources(StreambackListener.class).inNamespace(NAMESPACE).withName(LISTENER).get(),
                l -> l.getStatus() != null && Conditions.get(l.getStatus(), "Ready")
                        .map(c -> "True".equals(c.getStatus())).orElse(false));
        assertThat(Conditions.get(listener.getStatus(), "Ready")).map(StatusCondition::getStatus).contains("True");
    }

    @Test
    @Order(3)
    void kubectlScaleSharesThePartitionsAndScalingBackDrainsWithoutLoss() throws Exception {
        Instant start = Instant.now();
        kubectl("scale", "streambacklistener/" + LISTENER, "--replicas=3");
        within(Duration.ofMinutes(3)).until(() -> readyReplicas(LISTENER) == 3);
        Map<String, Set<Integer>> assignment = within(Duration.ofMinutes(2))
                .until(NodeEndToEndIT::groupAssignment, members -> members.size() == 3
                        && members.values().stream().noneMatch(Set::isEmpty)
                        && members.values().stream().mapToInt(Set::size).sum() == PARTITIONS);
        measured("kubectl scale to 3 pods Ready with the partitions shared: "
                + Duration.between(start, Instant.now()).toMillis() + " ms " + assignment);

        try (Streamback producer = Streamback.create(Testkit.uniqueName("e2e-producer"), streams)) {
            // One request per key over every partition: the three pods answer them all.
            assertThat(rpcs(producer, "scaled", 60)).isEqualTo(60);

            // Scaling back while requests flow: the stopping pods finish what they hold.
            int count = 300;
            List<FeedbackLane> lanes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (i == 30) {
                    kubectl("scale", "streambacklistener/" + LISTENER, "--replicas=1");
                }
                lanes.add(producer.send("test_hello_rpc", Map.of("id", i), "drain-" + i));
            }
            long answered = lanes.stream().map(lane -> lane.read(Duration.ofSeconds(90)))
                    .filter(Optional::isPresent).count();
            assertThat(answered).as("replies to %d requests sent while scaling from 3 pods to 1", count)
                    .isEqualTo(count);
        }
        within(Duration.ofMinutes(2)).until(() -> pods(NAMESPACE).size() == 1 && readyReplicas(LISTENER) == 1);
        assertThat(within(Duration.ofMinutes(1)).until(NodeEndToEndIT::groupAssignment, members -> members.size() == 1))
                .allSatisfy((member, partitions) -> assertThat(partitions).hasSize(PARTITIONS));
    }

    @Test
    @Order(4)
    void schedulesRunAsACronJobAndAsASchedulerThatSendsOncePerSecondAcrossARollout() throws Exception {
        kafka.createTopic("e2e_minutes", 1);
        kafka.createTopic("e2e_seconds", 1);
        String schedule = """
                apiVersion: streamback.io/v1alpha1
                kind: StreambackSchedule
                metadata:
                  name: %1$s
                  namespace: %2$s
                spec:
                  when: "%3$s"
                  then: %4$s
                  args: {from: %1$s}
                  image: streamback/examples:%5$s
                  imagePullPolicy: Never
                  streamsSecretRef: {name: streamback-streams, key: streams}
                %6$s
                ---
                """;
        // The overlay puts the CronJob's pods on the host network, which reaches the bridge address too. Not the
        // scheduler's: two of its pods, as during a rollout, would both want the host's port 8080.
        String hostNetwork = "  podTemplate:\n    spec:\n      hostNetwork: true";
        Path manifest = Files.writeString(Repo.scratch("node").resolve("schedules.yaml"),
                schedule.formatted("every-minute", NAMESPACE, "* * * * *", "e2e_minutes", Repo.version(), hostNetwork)
                        + schedule.formatted("every-second", NAMESPACE, "* * * * * *", "e2e_seconds", Repo.version(), ""));
        kubectl("apply", "-f", manifest.toString());

        within(Duration.ofMinutes(3)).until(() -> readyReplicas("every-second-scheduler") == 1);
        Instant rollout = Instant.now();
        kubectl("rollout", "restart", "deployment/every-second-scheduler");
        within(Duration.ofMinutes(3)).until(() -> {
            Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName("every-second-scheduler").get();
            return d.getStatus().getUpdatedReplicas() != null && d.getStatus().getUpdatedReplicas() == 1
                    && readyReplicas("every-second-scheduler") == 1 && pods(NAMESPACE).stream()
                            .filter(p -> p.getMetadata().getName().startsWith("every-second-scheduler")).count() == 1;
        });
        Instant after = Instant.now().plusSeconds(5);
        within(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(after));
        List<Long> seconds = kafka.readRecords("e2e_seconds", 100_000, Duration.ofSeconds(10)).stream()
                .map(r -> r.timestamp() / 1000).filter(t -> t >= rollout.getEpochSecond() && t < after.getEpochSecond())
                .toList();
        long window = after.getEpochSecond() - rollout.getEpochSecond();
        measured("per-second schedule across a rollout: " + seconds.size() + " messages in " + window + " s");
        assertThat(seconds.size()).as("one message per second across the rollout (%d s)", window)
                .isBetween((int) window - 2, (int) window + 1);

        // The CronJob's Jobs: each occurrence's pod sends one message.
        within(Duration.ofMinutes(4)).until(() -> succeededJobs("every-minute") >= 1);
        long jobs = succeededJobs("every-minute");
        assertThat(kafka.readRecords("e2e_minutes", (int) jobs + 1, Duration.ofSeconds(5)))
                .as("one message per succeeded Job").hasSize((int) jobs);
    }

    static long succeededJobs(String cronJob) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(job -> job.getMetadata().getName().startsWith(cronJob + "-"))
                .filter(job -> job.getStatus() != null && job.getStatus().getSucceeded() != null
                        && job.getStatus().getSucceeded() == 1)
                .count();
    }

    @Test
    @Order(5)
    void badInputShowsInTheListenersStatusWithTheImageOrTheWorkersReason() throws Exception {
        String listener = """
                apiVersion: streamback.io/v1alpha1
                kind: StreambackListener
                metadata:
                  name: %1$s
                  namespace: %2$s
                spec:
                  image: %3$s
                  imagePullPolicy: Never
                  topics: [test_hello_rpc]
                  concurrency: 1
                  streamsSecretRef: {name: %4$s, key: streams}
                  env:
                    - {name: STREAMBACK_APP, value: io.streamback.examples.ExampleApp}
                ---
                """;
        // Nothing listens on these ports of the bridge address: the worker's connections are refused.
        String closed = "main=kafka://" + KubeNode.BRIDGE_ADDRESS + ":" + LocalHttp.freePort() + "&feedback=redis://"
                + KubeNode.BRIDGE_ADDRESS + ":" + LocalHttp.freePort();
        String missingImage = "streamback/examples:no-such-tag";
        Path manifest = Files.writeString(Repo.scratch("node").resolve("bad-input.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: closed-streams
                  namespace: %s
                stringData:
                  streams: "%s"
                ---
                """.formatted(NAMESPACE, closed)
                + listener.formatted("no-image", NAMESPACE, missingImage, "streamback-streams")
                + listener.formatted("unreachable", NAMESPACE, "streamback/examples:" + Repo.version(), "closed-streams"));

        Instant start = Instant.now();
        kubectl("apply", "-f", manifest.toString());
        StatusCondition pullFailed = readyCondition("no-image", "ImagePullFailed", Duration.ofMinutes(2));
        measured("kubectl apply of a listener whose image is missing to its status saying so: "
                + Duration.between(start, Instant.now()).toMillis() + " ms");
        assertThat(pullFailed.getStatus()).isEqualTo("False");
        assertThat(pullFailed.getMessage()).startsWith("0/1 pods ready; pod no-image-")
                .contains("image \"" + missingImage + "\" cannot be pulled (ErrImageNeverPull: ");

        StatusCondition failing = readyCondition("unreachable", "PodsFailing", Duration.ofMinutes(3));
        measured("kubectl apply of a listener whose streams are unreachable to its status with the worker's reason: "
                + Duration.between(start, Instant.now()).toMillis() + " ms");
        assertThat(failing.getMessage()).startsWith("0/1 pods ready; pod unreachable-")
                .contains("container \"worker\" exited with code 1: Cannot start: ");
        String table = kubectl("get", "streambacklisteners", "no-image", "unreachable");
        System.out.println(table + pullFailed.getMessage() + "\n" + failing.getMessage());
        assertThat(table).contains("ImagePullFailed").contains("PodsFailing");
        assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
                .filteredOn(e -> "StreambackListener".equals(e.getInvolvedObject().getKind()))
                .extracting(e -> e.getInvolvedObject().getName() + " " + e.getType() + " " + e.getReason())
                .contains("no-image Warning ImagePullFailed", "unreachable Warning PodsFailing");

        kubectl("delete", "streambacklistener/no-image", "streambacklistener/unreachable", "secret/closed-streams");
        within(Duration.ofMinutes(2)).until(() -> pods(NAMESPACE).stream().map(p -> p.getMetadata().getName())
                .noneMatch(name -> name.startsWith("no-image-") || name.startsWith("unreachable-")));
    }

    /** The listener's Ready condition, once its reason is {@code reason}. */
    static StatusCondition readyCondition(String listener, String reason, Duration timeout) {
        return within(timeout).until(
                () -> Optional.ofNullable(client.resources(StreambackListener.class).inNamespace(NAMESPACE)
                        .withName(listener).get()).flatMap(l -> Conditions.get(l.getStatus(), "Ready")),
                ready -> ready.isPresent() && reason.equals(ready.get().getReason())).orElseThrow();
    }

    @Test
    @Order(6)
    void autoscalingOnLagMovesRealPodsUpAndBackDownOnceTheBacklogDrains() throws Exception {
        // A new consumer group on test_hello_rpc: every record sent so far, and 600 more, is its backlog.
        try (Streamback producer = Streamback.create(Testkit.uniqueName("e2e-backlog"), streams)) {
            IntStream.range(0, 600).forEach(i -> producer.send("test_hello_rpc", Map.of("id", i), "backlog-" + i));
        }
        Path manifest = Files.writeString(Repo.scratch("node").resolve("autoscaled.yaml"), """
                apiVersion: streamback.io/v1alpha1
                kind: StreambackListener
                metadata:
                  name: autoscaled
                  namespace: %s
                spec:
                  image: streamback/examples:%s
                  imagePullPolicy: Never
                  topics: [test_hello_rpc]
                  group: e2e-autoscaled
                  streamsSecretRef: {name: streamback-streams, key: streams}
                  env:
                    - {name: STREAMBACK_APP, value: io.streamback.examples.ExampleApp}
                  autoscaling:
                    tiers:
                      - {lag: 0, replicas: 1}
                      - {lag: 300, replicas: 3}
                    pollIntervalSeconds: 5
                    scaleDownDelaySeconds: 60
                """.formatted(NAMESPACE, Repo.version()));

        Instant start = Instant.now();
        kubectl("apply", "-f", manifest.toString());
        within(Duration.ofMinutes(4)).until(() -> readyReplicas("autoscaled") == 3);
        Instant up = Instant.now();
        within(Duration.ofMinutes(4)).until(() -> replicas("autoscaled") == 1 && readyReplicas("autoscaled") == 1
                && pods(NAMESPACE).stream().filter(p -> p.getMetadata().getName().startsWith("autoscaled-")).count() == 1);
        Instant down = Instant.now();
        StreambackListener listener = client.resources(StreambackListener.class).inNamespace(NAMESPACE)
                .withName("autoscaled").get();
        measured("autoscaling on lag: kubectl apply with a backlog to 3 pods Ready: "
                + Duration.between(start, up).toMillis() + " ms; backlog drained and back to 1 pod (scale-down delay 60 s)"
                + " after another " + Duration.between(up, down).toMillis() + " ms; lag now " + listener.getStatus().getLag());
        assertThat(listener.getStatus().getLag()).isZero();
        assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
                .filteredOn(e -> "autoscaled".equals(e.getInvolvedObject().getName()) && "Scaled".equals(e.getReason()))
                .isNotEmpty();

        kubectl("delete", "streambacklistener/autoscaled");
        within(Duration.ofMinutes(2)).until(() -> pods(NAMESPACE).stream()
                .noneMatch(p -> p.getMetadata().getName().startsWith("autoscaled-")));
    }

    @Test
    @Order(7)
    void autoRestartRollsThePodsEveryMaxSecondsWithoutAStormAndWithAPodAlwaysReady() throws Exception {
        Path manifest = Files.writeString(Repo.scratch("node").resolve("recycled.yaml"), """
                apiVersion: streamback.io/v1alpha1
                kind: StreambackListener
                metadata:
                  name: recycled
                  namespace: %s
                spec:
                  image: streamback/examples:%s
                  imagePullPolicy: Never
                  topics: [test_hello_stream]
                  group: e2e-recycled
                  concurrency: 1
                  streamsSecretRef: {name: streamback-streams, key: streams}
                  env:
                    - {name: STREAMBACK_APP, value: io.streamback.examples.ExampleApp}
                  autoRestart: {maxSeconds: 60}
                """.formatted(NAMESPACE, Repo.version()));
        kubectl("apply", "-f", manifest.toString());
        within(Duration.ofMinutes(3)).until(() -> readyReplicas("recycled") == 1);

        Instant start = Instant.now();
        AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
        Duration window = Duration.ofSeconds(150);
        await().during(window).atMost(window.plusSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            fewestReady.accumulateAndGet(readyReplicas("recycled"), Math::min);
            return readyReplicas("recycled") >= 1;
        });
        long seconds = Duration.between(start, Instant.now()).toSeconds();
        Set<String> stamps = client.apps().replicaSets().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences().stream().anyMatch(o -> "recycled".equals(o.getName())))
                .map(rs -> rs.getSpec().getTemplate().getMetadata().getAnnotations().get("streamback.io/restartedAt"))
                .collect(Collectors.toSet());
        int containerRestarts = pods(NAMESPACE).stream().filter(p -> p.getMetadata().getName().startsWith("recycled-"))
                .flatMap(p -> p.getStatus().getContainerStatuses().stream()).mapToInt(c -> c.getRestartCount()).sum();
        measured("autoRestart maxSeconds 60 watched " + seconds + " s: " + (stamps.size() - 1)
                + " rolling restarts, fewest ready pods " + fewestReady.get() + ", container restarts " + containerRestarts);
        // The first stamp is the listener's creation; then one roll per maxSeconds, no more.
        assertThat(stamps.size() - 1).as("rolling restarts in %d s", seconds).isBetween(1, (int) (seconds / 60) + 1);
        assertThat(fewestReady.get()).isGreaterThanOrEqualTo(1);
        assertThat(containerRestarts).isZero();

        kubectl("delete", "streambacklistener/recycled");
        within(Duration.ofMinutes(2)).until(() -> pods(NAMESPACE).stream()
                .noneMatch(p -> p.getMetadata().getName().startsWith("recycled-")));
    }

    @Test
    @Order(8)
    void kubectlDeleteRemovesEverything() throws Exception {
        kubectl("delete", "streambacklistener/" + LISTENER, "streambackschedule/every-minute",
                "streambackschedule/every-second");
        within(Duration.ofMinutes(2)).until(() -> pods(NAMESPACE).isEmpty()
                && client.apps().deployments().inNamespace(NAMESPACE).list().getItems().isEmpty()
                && client.batch().v1().cronjobs().inNamespace(NAMESPACE).list().getItems().isEmpty());
        helm.run("uninstall", Helm.RELEASE, "--namespace", Helm.NAMESPACE, "--kubeconfig", kubeconfig.toString())
                .assertSuccess();
        within(Duration.ofMinutes(2)).until(() -> pods(Helm.NAMESPACE).isEmpty());
    }

    /** {@code count} RPCs with distinct keys; the number answered. */
    static long rpcs(Streamback producer, String prefix, int count) {
        List<FeedbackLane> lanes = IntStream.range(0, count)
                .mapToObj(i -> producer.send("test_hello_rpc", Map.of("id", i), prefix + "-" + i)).toList();
        return lanes.stream().map(lane -> lane.read(Duration.ofSeconds(60), String.class))
                .filter(reply -> reply.map(Reply::value).filter("Hello from the consumer!"::equals).isPresent())
                .count();
    }

    /** The consumer group's members (client ids) and the partitions of test_hello_rpc each holds. */
    static Map<String, Set<Integer>> groupAssignment() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(30, TimeUnit.SECONDS).get(GROUP);
            return group.members().stream().collect(Collectors.toMap(
                    member -> member.consumerId(),
                    (MemberDescription member) -> member.assignment().topicPartitions().stream()
                            .filter(p -> p.topic().equals("test_hello_rpc")).map(p -> p.partition())
                            .collect(Collectors.toSet())));
        }
    }

    static List<Pod> pods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static List<Pod> readyPods(String namespace) {
        return pods(namespace).stream().filter(pod -> pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))).toList();
    }

    static int replicas(String deployment) {
        Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).get();
        return d == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
    }

    static int readyReplicas(String deployment) {
        Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).get();
        return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                : d.getStatus().getReadyReplicas();
    }

    static String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(plane.kubectl().toString(), "--kubeconfig=" + kubeconfig,
                "--namespace=" + NAMESPACE));
        command.addAll(List.of(args));
        return run(command, Map.of());
    }

    /** The CLI (the worker module's streamback.jar) on this host, as a user runs it. */
    static String cli(String... args) throws Exception {
        return run(cliCommand(args), Map.of("STREAMBACK_STREAMS", streams));
    }

    static Process cliProcess(String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(cliCommand(args)).redirectErrorStream(true);
        builder.environment().put("STREAMBACK_STREAMS", streams);
        return builder.start();
    }

    static List<String> cliCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Repo.path("worker/target/streamback.jar").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A send by the real Python library (the interpreter of -Dstreamback.python). */
    static String python(String... args) throws Exception {
        String python = System.getProperty("streamback.python", "");
        if (python.isBlank() || python.startsWith("${")) {
            fail("-Dstreamback.python (a Python with the streamback library, from .ci/python-peer-env) is not set");
        }
        List<String> command = new ArrayList<>(List.of(python, "-u",
                Repo.path("worker-runtime/src/test/python/peer.py").toString(), "send",
                "--name", Testkit.uniqueName("python-producer"), "--streams", streams, "--timeout", "60"));
        command.addAll(List.of(args));
        return run(command, Map.of());
    }

    static String run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().putAll(env);
        Path err = Files.createTempFile(Repo.scratch("node"), "command", ".err");
        Process process = builder.redirectError(err.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        String stderr = Files.readString(err);
        Files.delete(err);
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + output + stderr);
        }
        return output;
    }
}
