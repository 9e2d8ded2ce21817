package io.streamback.operator;

import static io.streamback.operator.testing.TestResources.listener;
import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.Autoscaling;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreamsSecretRef;
import io.streamback.operator.testing.LogCapture;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import io.streamback.testkit.KafkaBroker;
import io.streamback.testkit.TestCertificates;
import io.streamback.testkit.Testkit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code streamsSecretRef.caKey}: the CA certificates in the streams Secret reach every kind of
 * worker pod as a read-only file named by STREAMBACK_CA_FILE, and the operator's own lag reader
 * trusts them, without a file, against a real TLS broker.
 */
class StreamsCaTest {

    static final String CA_KEY = "ca.crt";
    static final String CA_PATH = "/etc/streamback/ca/ca.pem";

    static Cluster cluster;
    static String caPem;

    @BeforeAll
    static void start() throws IOException {
        cluster = Cluster.withOperator();
        caPem = Files.readString(TestCertificates.shared().caCertificate());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    /** A namespace whose streams Secret holds {@code streamsUrl} and the test authority's certificate. */
    static String namespace(String prefix, String streamsUrl) {
        String ns = cluster.namespace(prefix);
        cluster.create(new SecretBuilder()
                .withNewMetadata().withName(TestResources.SECRET).withNamespace(ns).endMetadata()
                .addToData("streams", base64(streamsUrl))
                .addToData(CA_KEY, base64(caPem))
                .build());
        return ns;
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static StreamsSecretRef withCa() {
        StreamsSecretRef ref = new StreamsSecretRef(TestResources.SECRET, "streams");
        ref.setCaKey(CA_KEY);
        return ref;
    }

    /** The CA volume, its mount and STREAMBACK_CA_FILE, and the streams URL still from its own key. */
    static void assertMountsTheCa(PodSpec pod) {
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement().satisfies(volume -> {
            assertThat(volume.getName()).isEqualTo("streams-ca");
            assertThat(volume.getSecret().getSecretName()).isEqualTo(TestResources.SECRET);
            assertThat(volume.getSecret().getItems()).singleElement().satisfies(item -> {
                assertThat(item.getKey()).isEqualTo(CA_KEY);
                assertThat(item.getPath()).isEqualTo("ca.pem");
            });
        });
        Container worker = pod.getContainers().get(0);
        assertThat(worker.getVolumeMounts()).filteredOn(m -> m.getName().equals("streams-ca")).singleElement()
                .satisfies(mount -> {
                    assertThat(mount.getMountPath()).isEqualTo("/etc/streamback/ca");
                    assertThat(mount.getReadOnly()).isTrue();
                });
        assertThat(env(worker)).containsEntry("STREAMBACK_CA_FILE", CA_PATH);
        assertThat(worker.getEnv()).filteredOn(e -> e.getName().equals("STREAMBACK_STREAMS")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("streams"));
    }

    static void assertMountsNoCa(PodSpec pod) {
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp");
        Container worker = pod.getContainers().get(0);
        assertThat(worker.getVolumeMounts()).extracting(VolumeMount::getName).containsExactly("tmp");
        assertThat(worker.getEnv()).extracting(EnvVar::getName).doesNotContain("STREAMBACK_CA_FILE");
    }

    static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static Deployment deployment(String ns, String name) {
        return eventually().until(() -> cluster.deployment(ns, name), d -> d != null);
    }

    static CronJob cronJob(String ns, String name) {
        return eventually().until(() -> cluster.get(CronJob.class, ns, name), c -> c != null);
    }

    @Test
    void everyKindOfWorkerPodGetsTheCaFileAndOnlyWhenCaKeyIsSet() {
        String ns = namespace("ca-pods", TestResources.STREAMS_URL);
        StreambackListener withCa = listener(ns, "orders", "orders");
        withCa.getSpec().setStreamsSecretRef(withCa());
        cluster.create(withCa);
        StreambackSchedule cronWithCa = schedule(ns, "nightly", "0 3 * * *", "reports");
        cronWithCa.getSpec().setStreamsSecretRef(withCa());
        cluster.create(cronWithCa);
        StreambackSchedule secondsWithCa = schedule(ns, "heartbeat", "*/30 * * * * *", "heartbeats");
        secondsWithCa.getSpec().setStreamsSecretRef(withCa());
        cluster.create(secondsWithCa);
        cluster.create(listener(ns, "plain-orders", "orders"));
        cluster.create(schedule(ns, "plain-nightly", "0 3 * * *", "reports"));
        cluster.create(schedule(ns, "plain-heartbeat", "*/30 * * * * *", "heartbeats"));

        assertMountsTheCa(deployment(ns, "orders").getSpec().getTemplate().getSpec());
        assertMountsTheCa(cronJob(ns, "nightly").getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
        assertMountsTheCa(deployment(ns, "heartbeat-scheduler").getSpec().getTemplate().getSpec());

        assertMountsNoCa(deployment(ns, "plain-orders").getSpec().getTemplate().getSpec());
        assertMountsNoCa(cronJob(ns, "plain-nightly").getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
        assertMountsNoCa(deployment(ns, "plain-heartbeat-scheduler").getSpec().getTemplate().getSpec());
    }

    @Test
    void theLagOfAListenerOnATlsBrokerIsReadTrustingTheCaFromTheSecret() {
        try (KafkaBroker broker = KafkaBroker.builder().tls(TestCertificates.shared()).start();
             LogCapture logs = LogCapture.start()) {
            String topic = Testkit.uniqueName("payments");
            broker.createTopic(topic, 2);
            produce(broker, topic, 7);
            // The URL names no ca_file: the operator could not read a file of the workers' anyway.
            String url = "main=kafkas://" + broker.bootstrapServers();
            String ns = namespace("ca-lag", url);

            StreambackListener trusting = listener(ns, "payments", topic);
            trusting.getSpec().setStreamsSecretRef(withCa());
            trusting.getSpec().setAutoscaling(autoscaling());
            cluster.create(trusting);
            StreambackListener untrusting = listener(ns, "untrusting", topic);
            untrusting.getSpec().setAutoscaling(autoscaling());
            cluster.create(untrusting);

            StreambackListener read = listenerWhen(ns, "payments", l -> Long.valueOf(7).equals(l.getStatus().getLag()));
            assertThat(scalingActive(read).getStatus()).isEqualTo("True");
            assertThat(scalingActive(read).getMessage()).doesNotContain("BEGIN CERTIFICATE");

            // The control: the same broker without the Secret's CA is not trusted.
            StreambackListener refused = listenerWhen(ns, "untrusting",
                    l -> Conditions.get(l.getStatus(), "ScalingActive").isPresent());
            assertThat(scalingActive(refused).getStatus()).isEqualTo("False");
            assertThat(scalingActive(refused).getReason()).isEqualTo("LagUnavailable");
            assertThat(refused.getStatus().getLag()).isNull();

            // The certificate's body (its second line) is in no log line, even at DEBUG.
            assertThat(logs.text()).doesNotContain(caPem.lines().skip(1).findFirst().orElseThrow());
        }
    }

    static Autoscaling autoscaling() {
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setMinReplicas(1);
        autoscaling.setMaxReplicas(2);
        autoscaling.setLagPerReplica(100L);
        autoscaling.setPollIntervalSeconds(1);
        return autoscaling;
    }

    static StatusCondition scalingActive(StreambackListener listener) {
        return Conditions.get(listener.getStatus(), "ScalingActive").orElseThrow();
    }

    static StreambackListener listenerWhen(String ns, String name, Predicate<StreambackListener> condition) {
        return eventually().until(() -> cluster.get(StreambackListener.class, ns, name),
                l -> l != null && l.getStatus() != null && condition.test(l));
    }

    static void produce(KafkaBroker broker, String topic, int records) {
        Properties props = new Properties();
        props.putAll(broker.clientProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "{\"n\": " + i + "}"));
            }
            producer.flush();
        }
    }

    @Test
    void theCaKeyIsCheckedAgainstTheSecret() {
        String ns = namespace("ca-check", TestResources.STREAMS_URL);
        StreambackListener listener = listener(ns, "missing-ca", "orders");
        listener.getSpec().setStreamsSecretRef(withCa());
        listener.getSpec().getStreamsSecretRef().setCaKey("tls.ca");
        cluster.create(listener);

        StreambackListener rejected = listenerWhen(ns, "missing-ca", l -> Conditions.get(l.getStatus(), "Ready")
                .map(c -> "SecretNotFound".equals(c.getReason())).orElse(false));
        StatusCondition ready = Conditions.get(rejected.getStatus(), "Ready").orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).isEqualTo("spec.streamsSecretRef.caKey: Secret \"streamback-streams\" "
                + "has no key \"tls.ca\" (the CA certificates)");
        assertThat(cluster.deployment(ns, "missing-ca")).isNull();

        StreambackListener notPem = listener(ns, "not-pem", "orders");
        notPem.getSpec().setStreamsSecretRef(withCa());
        notPem.getSpec().getStreamsSecretRef().setCaKey("streams");
        cluster.create(notPem);
        StreambackListener rejectedPem = listenerWhen(ns, "not-pem", l -> Conditions.get(l.getStatus(), "Ready")
                .map(c -> "SecretNotFound".equals(c.getReason())).orElse(false));
        assertThat(Conditions.get(rejectedPem.getStatus(), "Ready").orElseThrow().getMessage())
                .isEqualTo("spec.streamsSecretRef.caKey: key \"streams\" of Secret \"streamback-streams\" holds no "
                        + "PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    }
}
