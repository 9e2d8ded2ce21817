package io.streamback.operator;

import static io.streamback.operator.testing.TestResources.listener;
import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.Autoscaling;
import io.streamback.operator.crd.AutoscalingTier;
import io.streamback.operator.crd.ConditionedStatus;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input on a real API server. What the CRD's schema and CEL rules can check is refused at
 * admission, naming the field. What only the operator can check (an image it has no default for,
 * a cron its parser refuses, credentials in an inline URL, a missing Secret) is reported as
 * Ready=False with a reason and a message naming the field, and one Warning Event; nothing is
 * created (or the last good objects are left alone); nothing is retried hot; and the operator
 * keeps running. This operator has no default worker image.
 */
class BadInputTest {

    static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = Cluster.withoutOperator();
        cluster.startOperator(OperatorConfig.defaults(null));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    static String namespace(String prefix) {
        String ns = cluster.namespace(prefix);
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

    /** The operator's requests with {@code method} on a path starting with {@code path} during {@code window}. */
    static List<Cluster.ApiCall> operatorRequestsDuring(Duration window, String method, String path) {
        int before = cluster.operatorCalls().size();
        await().during(window).atMost(window.plusSeconds(2)).until(() -> true);
        List<Cluster.ApiCall> calls = cluster.operatorCalls();
        return calls.subList(before, calls.size()).stream()
                .filter(c -> c.method().equals(method) && c.uri().getPath().startsWith(path))
                .toList();
    }

    /** What the API server answers to creating {@code resource}: refused, with this message. */
    static String refusedAtAdmission(HasMetadata resource) {
        KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                () -> cluster.create(resource));
        assertThat(refused).as("refused at admission").isNotNull();
        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(cluster.get(resource.getClass(), resource.getMetadata().getNamespace(),
                resource.getMetadata().getName())).isNull();
        return refused.getStatus().getMessage();
    }

    @Test
    void whatTheSchemaAndCelRulesCheckIsRefusedAtAdmissionNamingTheField() {
        String ns = namespace("admission");
        StreambackListener noTopics = goodListener(ns, "no-topics");
        noTopics.getSpec().setTopics(List.of());
        assertThat(refusedAtAdmission(noTopics)).contains("spec.topics");

        StreambackListener badTopic = goodListener(ns, "bad-topic");
        badTopic.getSpec().setTopics(List.of("not a topic"));
        assertThat(refusedAtAdmission(badTopic)).contains("spec.topics[0]");

        StreambackListener both = goodListener(ns, "both");
        both.getSpec().setStreams(TestResources.STREAMS_URL);
        assertThat(refusedAtAdmission(both)).contains("set exactly one of spec.streams and spec.streamsSecretRef");

        StreambackListener badAutoscaling = goodListener(ns, "bad-autoscaling");
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setTiers(List.of(new AutoscalingTier(0, 1)));
        autoscaling.setLagPerReplica(100L);
        badAutoscaling.getSpec().setAutoscaling(autoscaling);
        assertThat(refusedAtAdmission(badAutoscaling)).contains("spec.autoscaling");

        StreambackListener scaledByHand = goodListener(ns, "scaled-by-hand");
        Autoscaling tiers = new Autoscaling();
        tiers.setTiers(List.of(new AutoscalingTier(0, 1)));
        scaledByHand.getSpec().setAutoscaling(tiers);
        scaledByHand.getSpec().setConcurrency(4);
        assertThat(refusedAtAdmission(scaledByHand))
                .contains("spec.concurrency and spec.autoscaling are mutually exclusive");

        StreambackSchedule badWhen = goodSchedule(ns, "four-fields", "* * * *");
        assertThat(refusedAtAdmission(badWhen)).contains("spec.when");

        // The same change of a stored listener is refused too, and its Deployment stays as it was.
        cluster.create(goodListener(ns, "steady"));
        Deployment good = eventually().until(() -> cluster.deployment(ns, "steady"), d -> d != null);
        KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                () -> cluster.edit(StreambackListener.class, ns, "steady",
                        l -> l.getSpec().setTopics(List.of("not a topic"))));
        assertThat(refused.getStatus().getMessage()).contains("spec.topics[0]");
        assertThat(cluster.deployment(ns, "steady").getMetadata().getGeneration())
                .isEqualTo(good.getMetadata().getGeneration());
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

        // No hot loop: a spec that cannot work is not looked at again until it changes.
        String statusPath = "/apis/streamback.io/v1alpha1/namespaces/" + ns + "/streambacklisteners/no-image";
        assertThat(operatorRequestsDuring(Duration.ofSeconds(2), "PATCH", statusPath)).isEmpty();
        assertThat(cluster.events(ns, "no-image")).filteredOn(e -> "StreambackListener".equals(
                e.getInvolvedObject().getKind())).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));

        cluster.edit(StreambackListener.class, ns, "no-image", l -> l.getSpec().setImage("example/orders:1"));
        eventually().until(() -> cluster.deployment(ns, "no-image") != null);
        eventually().until(() -> cluster.events(ns, "no-image"),
                events -> events.stream().anyMatch(e -> "Reconciled".equals(e.getReason())
                        && "Normal".equals(e.getType())));
    }

    @Test
    void aCronTheOperatorsParserRefusesIsRejected() {
        String ns = namespace("cron");
        cluster.create(goodSchedule(ns, "bad-minute", "61 * * * *"));

        assertThat(rejected(StreambackSchedule.class, ns, "bad-minute", "InvalidSpec").getMessage())
                .startsWith("spec.when: Invalid cron expression '61 * * * *': the minute field '61' is invalid");
        nothingCreated(CronJob.class, ns, "bad-minute");
        nothingCreated(Deployment.class, ns, "bad-minute-scheduler");
    }

    @Test
    void severalProblemsAreReportedTogether() {
        String ns = namespace("several");
        StreambackSchedule schedule = goodSchedule(ns, "wrong", "0 3 * * *");
        schedule.getSpec().setTimeZone("Mars/Olympus_Mons");
        schedule.getSpec().setEnv(List.of(new EnvVarBuilder().withName("STREAMBACK_NAME").withValue("x").build()));
        cluster.create(schedule);

        assertThat(rejected(StreambackSchedule.class, ns, "wrong", "InvalidSpec").getMessage())
                .contains("spec.timeZone: unknown time zone \"Mars/Olympus_Mons\"")
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
        StreambackListener sentinelPassword = goodListener(ns, "sentinel-password");
        sentinelPassword.getSpec().setStreamsSecretRef(null);
        sentinelPassword.getSpec().setStreams("main=kafka://kafka:9092&feedback=redis-sentinel://@:hunter2@s1:26379/mymaster");
        cluster.create(sentinelPassword);

        assertThat(rejected(StreambackListener.class, ns, "broken", "InvalidSpec").getMessage())
                .isEqualTo("spec.streams: Invalid streams URL 'main=kafka://kafka:none': main: port 'none' of "
                        + "'kafka:none' is not a number (at character 20)");
        assertThat(rejected(StreambackSchedule.class, ns, "with-password", "InvalidSpec").getMessage())
                .isEqualTo("spec.streams: holds credentials, which would be stored and shown in plain text: put the "
                        + "streams URL in a Secret and name it in spec.streamsSecretRef");
        assertThat(rejected(StreambackListener.class, ns, "sentinel-password", "InvalidSpec").getMessage())
                .as("a password for the sentinels alone is a credential too")
                .isEqualTo("spec.streams: holds credentials, which would be stored and shown in plain text: put the "
                        + "streams URL in a Secret and name it in spec.streamsSecretRef");
        nothingCreated(Deployment.class, ns, "broken");
        nothingCreated(CronJob.class, ns, "with-password");
        nothingCreated(Deployment.class, ns, "sentinel-password");
    }

    @Test
    void aMissingSecretIsReportedAndItsCreationReconcilesAtOnce() {
        String ns = cluster.namespace("secret");
        cluster.create(goodListener(ns, "waiting"));

        StatusCondition ready = rejected(StreambackListener.class, ns, "waiting", "SecretNotFound");
        assertThat(ready.getMessage()).isEqualTo(
                "spec.streamsSecretRef: Secret \"streamback-streams\" not found in namespace \"" + ns + "\"");
        nothingCreated(Deployment.class, ns, "waiting");

        // The Secret is read from the operator's informer: never fetched, however often the operator looks.
        String secrets = "/api/v1/namespaces/" + ns + "/secrets/";
        assertThat(operatorRequestsDuring(Duration.ofSeconds(2), "GET", secrets)).isEmpty();

        // Creating the Secret reconciles the listener at once, long before the next look (10 s).
        long created = System.nanoTime();
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
        eventually().atMost(Duration.ofSeconds(8)).until(() -> cluster.deployment(ns, "waiting") != null);
        assertThat(Duration.ofNanos(System.nanoTime() - created)).isLessThan(Duration.ofSeconds(8));

        // And breaking it (the key removed) is reported at once too.
        cluster.client().secrets().inNamespace(ns).withName(TestResources.SECRET)
                .edit(secret -> {
                    secret.setData(java.util.Map.of("url", secret.getData().get("streams")));
                    return secret;
                });
        assertThat(rejected(StreambackListener.class, ns, "waiting", "SecretNotFound").getMessage())
                .isEqualTo("spec.streamsSecretRef: Secret \"streamback-streams\" has no key \"streams\"");
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
