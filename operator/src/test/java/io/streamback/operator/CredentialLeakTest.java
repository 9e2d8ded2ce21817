package io.streamback.operator;

import static io.streamback.operator.testing.TestResources.listener;
import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.ConditionedStatus;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreamsSecretRef;
import io.streamback.operator.testing.LogCapture;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A streams URL with passwords, in a Secret, in front of good and bad resources: the passwords
 * appear in no status, no Event, no pod spec (only secretKeyRefs), no log line (at DEBUG, stack
 * traces included), no toString and nothing the operator serves on its HTTP port. A URL with
 * credentials written inline in a resource is refused without being repeated.
 */
class CredentialLeakTest {

    static final String PASSWORD = "leak-canary-" + UUID.randomUUID();
    static final String URL = "main=kafka://svc:" + PASSWORD + "@kafka:9092&feedback=redis://:" + PASSWORD
            + "@redis:6379";
    /** How the URL sits in the Secret's data. */
    static final String URL_BASE64 = Base64.getEncoder().encodeToString(URL.getBytes(StandardCharsets.UTF_8));

    @Test
    void credentialsAppearInNoStatusEventPodSpecLogOrMetric() throws Exception {
        Map<String, String> seen = new LinkedHashMap<>();
        try (LogCapture logs = LogCapture.start(); Cluster cluster = Cluster.withOperator()) {
            String ns = cluster.namespace("credentials");
            cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", URL);
            cluster.createStreamsSecret(ns, "keyless", "url", URL);

            // Good resources: a listener, a CronJob schedule and a scheduler Deployment.
            cluster.create(listener(ns, "good", "orders"));
            cluster.create(schedule(ns, "nightly", "0 3 * * *", "reports"));
            cluster.create(schedule(ns, "ticker", "*/10 * * * * *", "ticks"));
            // Bad ones, each with a Warning Event and an error condition.
            cluster.create(withSecret(listener(ns, "no-key", "orders"), "keyless"));
            cluster.create(withSecret(listener(ns, "no-secret", "orders"), "missing"));
            cluster.createSomeoneElsesDeployment(ns, "taken");
            cluster.create(listener(ns, "taken", "orders"));
            cluster.create(schedule(ns, "bad-cron", "61 * * * *", "reports"));
            StreambackListener inline = listener(ns, "inline", "orders");
            inline.getSpec().setStreamsSecretRef(null);
            inline.getSpec().setStreams(URL);
            cluster.create(inline);
            StreambackSchedule inlineSchedule = schedule(ns, "inline", "0 3 * * *", "reports");
            inlineSchedule.getSpec().setStreamsSecretRef(null);
            inlineSchedule.getSpec().setStreams(URL);
            cluster.create(inlineSchedule);
            StreambackListener unparsable = listener(ns, "unparsable", "orders");
            unparsable.getSpec().setStreamsSecretRef(null);
            unparsable.getSpec().setStreams("main=kafka://svc:" + PASSWORD + "@kafka:no-port");
            cluster.create(unparsable);

            Deployment good = await().atMost(Duration.ofSeconds(20)).until(() -> cluster.deployment(ns, "good"),
                    d -> d != null);
            cluster.reportReady(ns, "good");
            awaitReason(cluster, StreambackListener.class, ns, "good", "PodsReady");
            awaitReason(cluster, StreambackListener.class, ns, "no-key", "SecretNotFound");
            awaitReason(cluster, StreambackListener.class, ns, "no-secret", "SecretNotFound");
            awaitReason(cluster, StreambackListener.class, ns, "taken", "ReconcileError");
            awaitReason(cluster, StreambackSchedule.class, ns, "bad-cron", "InvalidSpec");
            assertThat(awaitReason(cluster, StreambackListener.class, ns, "inline", "InvalidSpec"))
                    .isEqualTo("spec.streams: holds credentials, which would be stored and shown in plain text: put "
                            + "the streams URL in a Secret and name it in spec.streamsSecretRef");
            assertThat(awaitReason(cluster, StreambackSchedule.class, ns, "inline", "InvalidSpec"))
                    .startsWith("spec.streams: holds credentials");
            assertThat(awaitReason(cluster, StreambackListener.class, ns, "unparsable", "InvalidSpec"))
                    .startsWith("spec.streams: holds credentials");
            CronJob nightly = await().atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.get(CronJob.class, ns, "nightly"), c -> c != null);
            Deployment ticker = await().atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.deployment(ns, "ticker-scheduler"), d -> d != null);
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.events(ns, "taken").size()
                    + cluster.events(ns, "inline").size() >= 3);

            // The pods get the URL from the Secret, by reference.
            for (PodSpec pod : List.of(good.getSpec().getTemplate().getSpec(), ticker.getSpec().getTemplate().getSpec(),
                    nightly.getSpec().getJobTemplate().getSpec().getTemplate().getSpec())) {
                for (Container container : pod.getContainers()) {
                    EnvVar streams = container.getEnv().stream().filter(e -> e.getName().equals(WorkerEnvironment.STREAMS))
                            .findFirst().orElseThrow();
                    assertThat(streams.getValue()).isNull();
                    assertThat(streams.getValueFrom().getSecretKeyRef().getName()).isEqualTo(TestResources.SECRET);
                }
            }
            assertThat(cluster.deployment(ns, "inline")).as("nothing made from an inline URL with credentials").isNull();

            for (Class<? extends CustomResource<?, ?>> type : List.of(StreambackListener.class, StreambackSchedule.class)) {
                for (CustomResource<?, ?> resource : cluster.client().resources(type).inNamespace(ns).list().getItems()) {
                    String id = type.getSimpleName() + " " + resource.getMetadata().getName();
                    seen.put(id + " status", Serialization.asJson(resource.getStatus()));
                    seen.put(id + " toString", resource.toString());
                }
            }
            seen.put("Events", Serialization.asJson(cluster.client().v1().events().inNamespace(ns).list()));
            List<HasMetadata> owned = new ArrayList<>(cluster.client().apps().deployments().inNamespace(ns).list()
                    .getItems());
            owned.addAll(cluster.client().batch().v1().cronjobs().inNamespace(ns).list().getItems());
            owned.forEach(o -> seen.put(o.getKind() + " " + o.getMetadata().getName(), Serialization.asJson(o)));
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/metrics", "/healthz", "/readyz")) {
                seen.put("operator " + path, http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + cluster.operator().httpPort() + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
            seen.put("operator log", logs.text());
        }

        assertThat(seen.get("operator log")).as("the log capture works: it has the error of 'taken'")
                .contains("Deployment \"taken\" already exists");
        assertThat(seen.get("operator /metrics")).contains("streamback_operator_reconciliations_total");
        seen.forEach((what, text) -> assertThat(text.lines()
                .filter(line -> line.contains(PASSWORD) || line.contains(URL_BASE64))).as(what).isEmpty());
    }

    static StreambackListener withSecret(StreambackListener listener, String secret) {
        listener.getSpec().setStreamsSecretRef(new StreamsSecretRef(secret, "streams"));
        return listener;
    }

    /** Waits for the Ready condition's reason, and returns its message. */
    static <T extends CustomResource<?, ? extends ConditionedStatus>> String awaitReason(
            Cluster cluster, Class<T> type, String ns, String name, String reason) {
        T resource = await().atMost(Duration.ofSeconds(20)).until(() -> cluster.get(type, ns, name),
                r -> r != null && r.getStatus() != null && Conditions.get(r.getStatus(), Conditions.READY)
                        .map(c -> reason.equals(c.getReason())).orElse(false));
        return Conditions.get(resource.getStatus(), Conditions.READY).orElseThrow().getMessage();
    }
}
