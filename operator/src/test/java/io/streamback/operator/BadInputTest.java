package io.streamback.operator;

import static io.streamback.operator.testing.TestResources.listener;
import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.Autoscaling;
import io.streamback.operator.crd.AutoscalingTier;
import io.streamback.operator.crd.ConditionedStatus;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.testing.MockCluster;
import io.streamback.operator.testing.TestResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input: each is reported as Ready=False with a reason and a message naming the field, and a
 * Warning Event; nothing is created (or the last good objects are left alone); nothing is retried
 * hot; and the operator keeps running. This operator has no default worker image.
 */
class BadInputTest {

    static MockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = MockCluster.withoutOperator();
        cluster.startOperator(OperatorConfig.defaults(null));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }

    static String namespace(String prefix) {
        String ns = MockCluster.uniqueNamespace(prefix);
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
        return ns;
    }

    static StreambackListener goodListener(String ns, String name) {
        StreambackListener listener = listener(ns, name, "orders");
        listener.getSpec().setImage("example/orders:1");
        return listener;
    }

    static StreambackSchedule goodSchedule(String ns, String name, String when) {
        StreambackSchedule schedule = schedule(ns, name, when, "ticks");
        schedule.getSpec().setImage("example/orders:1");
        return schedule;
    }

    /** Waits for the resource to be rejected with {@code reason}, and returns its Ready condition. */
    static <S extends ConditionedStatus, T extends CustomResource<?, S>> StatusCondition rejected(
            Class<T> type, String ns, String name, String reason) {
        T resource = eventually().until(() -> cluster.get(type, ns, name),
                r -> r != null && r.getStatus() != null && Conditions.get(r.getStatus(), "Ready")
                        .map(c -> reason.equals(c.getReason())).orElse(false));
        StatusCondition ready = Conditions.get(resource.getStatus(), "Ready").orElseThrow();
        StatusCondition degraded = Conditions.get(resource.getStatus(), "Degraded").orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo(reason);
        assertThat(resource.getStatus().getObservedGeneration()).isEqualTo(resource.getMetadata().getGeneration());
        List<Event> events = eventually().until(() -> cluster.events(ns, name),
                list -> list.stream().anyMatch(e -> reason.equals(e.getReason())
                        && resource.getKind().equals(e.getInvolvedObject().getKind())));
        assertThat(events).filteredOn(e -> reason.equals(e.getReason())
                && resource.getKind().equals(e.getInvolvedObject().getKind())).first().satisfies(event -> {
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getMessage()).isEqualTo(ready.getMessage());
            assertThat(event.getInvolvedObject().getKind()).isEqualTo(resource.getKind());
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(resource.getMetadata().getUid());
        });
        return ready;
    }

    static void nothingCreated(Class<? extends HasMetadata> type, String ns, String name) {
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> cluster.get(type, ns, name) == null);
    }

    /** The operator's requests matching {@code path} during {@code window}. */
    static List<RecordedRequest> operatorRequestsDuring(Duration window, String method, String path) {
        cluster.drainRequests();
        List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
        await().during(window).atMost(window.plusSeconds(2)).until(() -> {
            cluster.drainRequests().stream()
                    .filter(MockCluster::fromOperator)
                    .filter(r -> r.getMethod().equals(method) && r.getPath().startsWith(path))
                    .forEach(seen::add);
            return true;
        });
        return seen;
    }

    @Test
    void emptyTopicsAreRejectedUntilFixed() {
        String ns = namespace("topics");
        StreambackListener listener = goodListener(ns, "no-topics");
        listener.getSpec().setTopics(List.of());
        cluster.create(listener);

        StatusCondition ready = rejected(StreambackListener.class, ns, "no-topics", "InvalidSpec");
        assertThat(ready.getMessage()).isEqualTo("spec.topics: at least one topic is required");
        nothingCreated(Deployment.class, ns, "no-topics");

        // No hot loop: a spec that cannot work is not looked at again until it changes.
        String statusPath = "/apis/streamback.io/v1alpha1/namespaces/" + ns + "/streambacklisteners/no-topics";
        assertThat(operatorRequestsDuring(Duration.ofSeconds(2), "PATCH", statusPath)).isEmpty();

        cluster.edit(StreambackListener.class, ns, "no-topics", l -> l.getSpec().setTopics(List.of("orders")));
        eventually().until(() -> cluster.deployment(ns, "no-topics") != null);
        eventually().until(() -> cluster.events(ns, "no-topics"),
                events -> events.stream().anyMatch(e -> "Reconciled".equals(e.getReason())
                        && "Normal".equals(e.getType())));
    }

    @Test
    void anAutoscalingSpecTheSchemaWouldRefuseIsRejectedByTheOperatorToo() {
        String ns = namespace("autoscaling");
        StreambackListener listener = goodListener(ns, "bad-autoscaling");
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setTiers(List.of(new AutoscalingTier(0, 1), new AutoscalingTier(0, 3)));
        autoscaling.setLagPerReplica(100L);
        listener.getSpec().setAutoscaling(autoscaling);
        cluster.create(listener);

        assertThat(rejected(StreambackListener.class, ns, "bad-autoscaling", "InvalidSpec").getMessage())
                .isEqualTo("spec.autoscaling: set either tiers or lagPerReplica (with maxReplicas); "
                        + "spec.autoscaling.tiers[1].lag: 0 is not above the previous tier's lag 0");
        nothingCreated(Deployment.class, ns, "bad-autoscaling");
    }

    @Test
    void aMissingImageIsRejectedWhenTheOperatorHasNoDefault() {
        String ns = namespace("image");
        cluster.create(listener(ns, "no-image", "orders"));
        cluster.create(schedule(ns, "no-image", "0 3 * * *", "reports"));

        assertThat(rejected(StreambackListener.class, ns, "no-image", "InvalidSpec").getMessage())
                .isEqualTo("spec.image: not set, and the operator has no default worker image (STREAMBACK_WORKER_IMAGE)");
        assertThat(rejected(StreambackSchedule.class, ns, "no-image", "InvalidSpec").getMessage())
                .startsWith("spec.image: ");
        nothingCreated(Deployment.class, ns, "no-image");
        nothingCreated(CronJob.class, ns, "no-image");
    }

    @Test
    void anInvalidCronIsRejected() {
        String ns = namespace("cron");
        cluster.create(goodSchedule(ns, "bad-minute", "61 * * * *"));
        cluster.create(goodSchedule(ns, "four-fields", "* * * *"));

        assertThat(rejected(StreambackSchedule.class, ns, "bad-minute", "InvalidSpec").getMessage())
                .startsWith("spec.when: \"61 * * * *\" is not a valid cron expression")
                .contains("61");
        assertThat(rejected(StreambackSchedule.class, ns, "four-fields", "InvalidSpec").getMessage())
                .isEqualTo("spec.when: \"* * * *\" has 4 fields; expected 5 (minute hour day-of-month month "
                        + "day-of-week) or 6 (seconds first)");
        nothingCreated(CronJob.class, ns, "bad-minute");
        nothingCreated(Deployment.class, ns, "bad-minute-scheduler");
    }

    @Test
    void severalProblemsAreReportedTogether() {
        String ns = namespace("several");
        StreambackSchedule schedule = goodSchedule(ns, "wrong", "0 3 * * *");
        schedule.getSpec().setTimeZone("Mars/Olympus_Mons");
        schedule.getSpec().setStreams(TestResources.STREAMS_URL);
        schedule.getSpec().setEnv(List.of(new EnvVarBuilder().withName("STREAMBACK_NAME").withValue("x").build()));
        cluster.create(schedule);

        assertThat(rejected(StreambackSchedule.class, ns, "wrong", "InvalidSpec").getMessage())
                .contains("spec.timeZone: unknown time zone \"Mars/Olympus_Mons\"")
                .contains("spec.streams, spec.streamsSecretRef: set only one of them")
                .contains("spec.env[0].name: STREAMBACK_NAME is set by the operator");
    }

    @Test
    void anInlineStreamsUrlMustParseAndHoldNoCredentials() {
        String ns = namespace("inline");
        StreambackListener broken = goodListener(ns, "broken");
        broken.getSpec().setStreamsSecretRef(null);
        broken.getSpec().setStreams("main=kafka://kafka:none");
        cluster.create(broken);
        StreambackSchedule withPassword = goodSchedule(ns, "with-password", "0 3 * * *");
        withPassword.getSpec().setStreamsSecretRef(null);
        withPassword.getSpec().setStreams("main=kafka://kafka:9092&feedback=redis://:hunter2@redis:6379");
        cluster.create(withPassword);

        assertThat(rejected(StreambackListener.class, ns, "broken", "InvalidSpec").getMessage())
                .isEqualTo("spec.streams: Invalid streams URL 'main=kafka://kafka:none': main: port 'none' of "
                        + "'kafka:none' is not a number");
        assertThat(rejected(StreambackSchedule.class, ns, "with-password", "InvalidSpec").getMessage())
                .isEqualTo("spec.streams: holds credentials, which would be stored and shown in plain text: put the "
                        + "streams URL in a Secret and name it in spec.streamsSecretRef");
        nothingCreated(Deployment.class, ns, "broken");
        nothingCreated(CronJob.class, ns, "with-password");
    }

    @Test
    void aBadChangeLeavesTheLastGoodDeploymentAlone() {
        String ns = namespace("last-good");
        cluster.create(goodListener(ns, "steady"));
        Deployment good = eventually().until(() -> cluster.deployment(ns, "steady"), d -> d != null);

        cluster.edit(StreambackListener.class, ns, "steady", l -> {
            l.getSpec().setTopics(List.of("not a topic"));
            l.getSpec().setConcurrency(7);
        });
        assertThat(rejected(StreambackListener.class, ns, "steady", "InvalidSpec").getMessage())
                .isEqualTo("spec.topics[0]: \"not a topic\" is not a Kafka topic name (letters, digits, '.', '_', '-')");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(
                () -> cluster.deployment(ns, "steady").getMetadata().getResourceVersion(),
                version -> version.equals(good.getMetadata().getResourceVersion()));
    }

    @Test
    void aMissingSecretIsReportedAndLookedForAgainWithBackoff() {
        String ns = MockCluster.uniqueNamespace("secret");
        cluster.create(goodListener(ns, "waiting"));

        StatusCondition ready = rejected(StreambackListener.class, ns, "waiting", "SecretNotFound");
        assertThat(ready.getMessage()).isEqualTo(
                "spec.streamsSecretRef: Secret \"streamback-streams\" not found in namespace \"" + ns + "\"");
        nothingCreated(Deployment.class, ns, "waiting");

        // Backoff: the operator looks for the Secret again after 10 s at the earliest, not in a loop.
        String secretPath = "/api/v1/namespaces/" + ns + "/secrets/" + TestResources.SECRET;
        assertThat(operatorRequestsDuring(Duration.ofSeconds(3), "GET", secretPath)).hasSizeLessThanOrEqualTo(1);

        // Once the Secret exists, the next look finds it.
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
        eventually().atMost(Duration.ofSeconds(30)).until(() -> cluster.deployment(ns, "waiting") != null);
    }

    @Test
    void aSecretWithoutTheKeyIsReported() {
        String ns = MockCluster.uniqueNamespace("secret-key");
        cluster.createStreamsSecret(ns, TestResources.SECRET, "url", TestResources.STREAMS_URL);
        cluster.create(goodSchedule(ns, "keyless", "0 3 * * *"));

        assertThat(rejected(StreambackSchedule.class, ns, "keyless", "SecretNotFound").getMessage())
                .isEqualTo("spec.streamsSecretRef: Secret \"streamback-streams\" has no key \"streams\"");
        nothingCreated(CronJob.class, ns, "keyless");
    }

    @Test
    void theOperatorKeepsWorkingAfterBadInput() {
        String ns = namespace("survivor");
        StreambackListener noSpec = goodListener(ns, "no-spec");
        noSpec.setSpec(null);
        cluster.create(noSpec);
        rejected(StreambackListener.class, ns, "no-spec", "InvalidSpec");

        cluster.create(goodListener(ns, "fine"));
        eventually().until(() -> cluster.deployment(ns, "fine") != null);
        assertThat(cluster.operator().operator().getRuntimeInfo().isStarted()).isTrue();
    }
}
