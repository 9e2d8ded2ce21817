package io.streamback.operator.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.Autoscaling;
import io.streamback.operator.crd.AutoscalingTier;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerSpec;
import io.streamback.operator.crd.StreamsSecretRef;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.Kubectl;
import io.streamback.testkit.StreambackTest;
import io.streamback.testkit.Testkit;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lag-based autoscaling end to end: a real Kafka broker holds the backlog, the operator runs on a
 * real API server and reads the lag with its admin client. No pods run (no kubelet), so the tests
 * play the listener's consumers: a plain consumer in the listener's group drains the backlog.
 * The scale-down delay runs on the cluster's clock, which the tests move.
 */
@StreambackTest
class ListenerAutoscalingTest {

    static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    static final String SECRET = "streams";

    static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = Cluster.withOperator();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    static String namespace(String prefix, String streamsUrl) {
        String ns = cluster.namespace(prefix);
        cluster.createStreamsSecret(ns, SECRET, "streams", streamsUrl);
        return ns;
    }

    static StreambackListener autoscaled(String ns, String name, String topic, String group, Autoscaling autoscaling) {
        StreambackListenerSpec spec = new StreambackListenerSpec();
        spec.setTopics(List.of(topic));
        spec.setGroup(group);
        spec.setStreamsSecretRef(new StreamsSecretRef(SECRET, "streams"));
        spec.setAutoscaling(autoscaling);
        StreambackListener listener = new StreambackListener();
        listener.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        listener.setSpec(spec);
        return cluster.create(listener);
    }

    static Autoscaling tiers(AutoscalingTier... tiers) {
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setTiers(List.of(tiers));
        autoscaling.setPollIntervalSeconds(1);
        autoscaling.setScaleDownDelaySeconds(60);
        return autoscaling;
    }

    static Autoscaling linear(int min, int max, long lagPerReplica) {
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setMinReplicas(min);
        autoscaling.setMaxReplicas(max);
        autoscaling.setLagPerReplica(lagPerReplica);
        autoscaling.setPollIntervalSeconds(1);
        autoscaling.setScaleDownDelaySeconds(60);
        return autoscaling;
    }

    static StreambackListener listenerWhen(String ns, String name, Predicate<StreambackListener> condition) {
        return eventually().until(() -> cluster.get(StreambackListener.class, ns, name),
                l -> l != null && l.getStatus() != null && condition.test(l));
    }

    static StreambackListener lagIs(String ns, String name, long lag) {
        return listenerWhen(ns, name, l -> Long.valueOf(lag).equals(l.getStatus().getLag()));
    }

    static Deployment replicas(String ns, String name, int replicas) {
        return eventually().until(() -> cluster.deployment(ns, name),
                d -> d != null && d.getSpec().getReplicas() == replicas);
    }

    static StatusCondition condition(StreambackListener listener, String type) {
        return Conditions.get(listener.getStatus(), type).orElseThrow();
    }

    static List<Event> events(String ns, String name, String reason) {
        return cluster.events(ns, name).stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    static void produce(Testkit testkit, String topic, int records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < records; i++) {
                // Keyed, so the backlog spreads over the partitions.
                producer.send(new ProducerRecord<>(topic, "key-" + i, "{\"n\": " + i + "}"));
            }
            producer.flush();
        }
    }

    /** Consumes everything on {@code topic} as {@code group} and commits: what the listener's pods would do. */
    static void drain(Testkit testkit, String topic, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, testkit.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            eventually().until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            consumer.commitSync();
        }
    }

    @Test
    void scalesUpThroughTheTiersThenDownAfterTheBacklogIsConsumedAndTheDelayPassed(Testkit testkit) {
        String topic = Testkit.uniqueName("orders");
        String group = Testkit.uniqueName("orders-app");
        testkit.kafka().createTopic(topic, 6);
        String ns = namespace("tiers", testkit.streamsUrl());
        autoscaled(ns, "orders", topic, group,
                tiers(new AutoscalingTier(0, 1), new AutoscalingTier(20, 2), new AutoscalingTier(50, 4)));

        replicas(ns, "orders", 1);
        StreambackListener idle = lagIs(ns, "orders", 0);
        assertThat(idle.getStatus().getDesiredReplicas()).isEqualTo(1);
        assertThat(condition(idle, "ScalingActive").getStatus()).isEqualTo("True");
        assertThat(condition(idle, "ScalingActive").getMessage())
                .isEqualTo("group " + group + ": lag 0 calls for 1 pod (tier from lag 0)");
        assertThat(condition(idle, "PartitionCapped").getStatus()).isEqualTo("False");

        produce(testkit, topic, 25);
        replicas(ns, "orders", 2);
        assertThat(lagIs(ns, "orders", 25).getStatus().getDesiredReplicas()).isEqualTo(2);

        produce(testkit, topic, 30);
        replicas(ns, "orders", 4);
        StreambackListener busy = lagIs(ns, "orders", 55);
        assertThat(busy.getStatus().getDesiredReplicas()).isEqualTo(4);
        // One Event for both changes, counted, with the latest message.
        assertThat(events(ns, "orders", "Scaled")).singleElement().satisfies(scaled -> {
            assertThat(scaled.getCount()).isEqualTo(2);
            assertThat(scaled.getMessage()).isEqualTo("scaled from 2 to 4 pods: lag 55 calls for 4 pods (tier from lag 50)");
        });

        drain(testkit, topic, group);
        StreambackListener drained = lagIs(ns, "orders", 0);
        assertThat(drained.getStatus().getDesiredReplicas()).as("the delay has not passed").isEqualTo(4);
        assertThat(drained.getStatus().getScaleDownPendingSince()).isEqualTo(cluster.clock.instant().toString());
        assertThat(condition(drained, "ScalingActive").getMessage()).endsWith(
                "lag 0 calls for 1 pod (tier from lag 0); keeping 4 pods for 60 s more (scaleDownDelaySeconds 60)");
        assertThat(cluster.deployment(ns, "orders").getSpec().getReplicas()).isEqualTo(4);

        cluster.clock.advance(Duration.ofSeconds(60));
        replicas(ns, "orders", 1);
        StreambackListener scaledDown = listenerWhen(ns, "orders", l -> l.getStatus().getDesiredReplicas() == 1);
        assertThat(scaledDown.getStatus().getScaleDownPendingSince()).isNull();
        cluster.reportReady(ns, "orders");
        listenerWhen(ns, "orders", l -> Conditions.isTrue(l.getStatus(), "Ready"));
    }

    @Test
    void neverMorePodsThanTheTopicHasPartitions(Testkit testkit) {
        // The URL's topics_prefix and group apply, as in the worker.
        String prefix = Testkit.uniqueName("team");
        String urlGroup = Testkit.uniqueName("url-group");
        String topic = Testkit.uniqueName("invoices");
        testkit.kafka().createTopic(prefix + "." + topic, 2);
        String ns = namespace("cap", testkit.streamsUrl() + "&topics_prefix=" + prefix + "&group=" + urlGroup);
        autoscaled(ns, "invoices", topic, null, linear(1, 10, 10));

        StreambackListener idle = lagIs(ns, "invoices", 0);
        assertThat(condition(idle, "PartitionCapped").getStatus()).isEqualTo("False");
        assertThat(condition(idle, "ScalingActive").getMessage()).startsWith("group " + urlGroup + ": ");

        produce(testkit, prefix + "." + topic, 100);
        replicas(ns, "invoices", 2);
        StreambackListener capped = lagIs(ns, "invoices", 100);
        assertThat(capped.getStatus().getDesiredReplicas()).isEqualTo(2);
        StatusCondition partitionCapped = condition(capped, "PartitionCapped");
        assertThat(partitionCapped.getStatus()).isEqualTo("True");
        assertThat(partitionCapped.getReason()).isEqualTo("PartitionCount");
        assertThat(partitionCapped.getMessage()).isEqualTo("the lag calls for 10 pods, but the topics have at most "
                + "2 partitions: more pods would have nothing to consume");
        assertThat(condition(capped, "ScalingActive").getMessage()).isEqualTo("group " + urlGroup
                + ": lag 100 calls for 10 pods (one per 10, between 1 and 10), capped at 2 by the partition count");
    }

    @Test
    void startsFromZeroOnlyAboveTheActivationLag(Testkit testkit) {
        String topic = Testkit.uniqueName("reports");
        String group = Testkit.uniqueName("reports-app");
        testkit.kafka().createTopic(topic, 4);
        String ns = namespace("activation", testkit.streamsUrl());
        Autoscaling autoscaling = linear(0, 4, 50);
        autoscaling.setActivationLag(20L);
        autoscaling.setScaleDownDelaySeconds(30);
        autoscaled(ns, "reports", topic, group, autoscaling);

        replicas(ns, "reports", 0);
        StreambackListener zero = listenerWhen(ns, "reports",
                l -> Long.valueOf(0).equals(l.getStatus().getLag()) && Conditions.isTrue(l.getStatus(), "Ready"));
        assertThat(condition(zero, "Ready").getReason()).isEqualTo("ScaledToZero");
        assertThat(condition(zero, "Ready").getMessage()).isEqualTo("autoscaled to 0 (lag 0): no pods run");

        produce(testkit, topic, 15);
        StreambackListener belowActivation = lagIs(ns, "reports", 15);
        assertThat(belowActivation.getStatus().getDesiredReplicas()).isZero();
        assertThat(condition(belowActivation, "ScalingActive").getMessage())
                .endsWith("lag 15 is not above activationLag 20: no pods");

        produce(testkit, topic, 10);
        replicas(ns, "reports", 1);
        assertThat(lagIs(ns, "reports", 25).getStatus().getDesiredReplicas()).isEqualTo(1);

        produce(testkit, topic, 100);
        replicas(ns, "reports", 3);

        drain(testkit, topic, group);
        lagIs(ns, "reports", 0);
        assertThat(cluster.deployment(ns, "reports").getSpec().getReplicas()).isEqualTo(3);
        cluster.clock.advance(Duration.ofSeconds(30));
        replicas(ns, "reports", 0);
    }

    @Test
    void kubectlScaleIsRefusedWhileAutoscalingIsOn(Testkit testkit) throws Exception {
        String topic = Testkit.uniqueName("emails");
        testkit.kafka().createTopic(topic, 3);
        String ns = namespace("conflict", testkit.streamsUrl());
        autoscaled(ns, "emails", topic, Testkit.uniqueName("emails-app"), tiers(new AutoscalingTier(0, 2)));
        replicas(ns, "emails", 2);

        // The CRD's CEL rule refuses what the scale subresource would write.
        assertThatThrownBy(() -> Kubectl.run(cluster, "scale", "-n", ns, "streambacklistener/emails", "--replicas=5"))
                .hasMessageContaining("spec.concurrency and spec.autoscaling are mutually exclusive");
        assertThat(cluster.get(StreambackListener.class, ns, "emails").getSpec().getConcurrency()).isEqualTo(1);
        assertThat(cluster.deployment(ns, "emails").getSpec().getReplicas()).isEqualTo(2);

        // Autoscaling off: concurrency takes over, and autoscaling leaves nothing in the status.
        cluster.client().resources(StreambackListener.class).inNamespace(ns).withName("emails")
                .patch(MERGE, "{\"spec\":{\"autoscaling\":null,\"concurrency\":5}}");
        replicas(ns, "emails", 5);
        StreambackListener manual = listenerWhen(ns, "emails", l -> l.getStatus().getLag() == null);
        assertThat(manual.getStatus().getDesiredReplicas()).isNull();
        assertThat(manual.getStatus().getConditions()).extracting(StatusCondition::getType)
                .containsExactly("Ready", "Degraded");
    }

    @Test
    void anUnreachableKafkaKeepsThePodsAndSaysWhyWithoutThePassword() {
        String password = "s3cret-Passw0rd";
        String ns = namespace("unreachable", "main=kafka://app:" + password + "@127.0.0.1:1");
        autoscaled(ns, "payments", "payments", "payments-app",
                tiers(new AutoscalingTier(0, 2), new AutoscalingTier(100, 5)));

        replicas(ns, "payments", 2);
        StreambackListener stuck = listenerWhen(ns, "payments", l -> Conditions.get(l.getStatus(), "ScalingActive")
                .map(c -> c.getStatus().equals("False")).orElse(false));
        StatusCondition scaling = condition(stuck, "ScalingActive");
        assertThat(scaling.getReason()).isEqualTo("LagUnavailable");
        assertThat(scaling.getMessage()).startsWith("cannot read the lag of group payments-app from Kafka 127.0.0.1:1: ")
                .endsWith("; keeping 2 pods");
        assertThat(stuck.getStatus().getDesiredReplicas()).isEqualTo(2);
        List<Event> warnings = eventually().until(() -> events(ns, "payments", "LagUnavailable"), e -> !e.isEmpty());
        assertThat(warnings).first().satisfies(e -> assertThat(e.getMessage()).isEqualTo(scaling.getMessage()));
        assertThat(Serialization.asJson(stuck)).doesNotContain(password);
        assertThat(cluster.events(ns, "payments").stream().map(Event::getMessage).collect(Collectors.joining()))
                .doesNotContain(password);
    }

    @Test
    void aKafkaThatDoesNotAnswerHoldsUpNoReconciliation() throws Exception {
        // The kernel accepts connections to this socket; nothing ever answers: a reading waits out its 10 s.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String ns = namespace("silent", "main=kafka://127.0.0.1:" + silent.getLocalPort());
            autoscaled(ns, "waiting", "orders", "waiting-app", tiers(new AutoscalingTier(0, 2)));

            // The lag is read off the reconciliation: the Deployment is made while the first reading waits.
            replicas(ns, "waiting", 2);
            StreambackListener meanwhile = listenerWhen(ns, "waiting", l -> l.getStatus().getObservedGeneration() != null);
            assertThat(Conditions.get(meanwhile.getStatus(), "ScalingActive")).as("no reading has finished").isEmpty();

            StreambackListener unavailable = listenerWhen(ns, "waiting", l -> Conditions.get(l.getStatus(), "ScalingActive")
                    .map(c -> c.getStatus().equals("False")).orElse(false));
            assertThat(condition(unavailable, "ScalingActive").getMessage())
                    .startsWith("cannot read the lag of group waiting-app from Kafka 127.0.0.1:" + silent.getLocalPort());
        }
    }

    @Test
    void aBadStreamsUrlOrAMissingTopicIsSaidInTheCondition(Testkit testkit) {
        String ns = namespace("bad-url", "main=kafka://app:hunter2@kafka:notaport");
        autoscaled(ns, "bad-url", "anything", "bad-url-app", linear(1, 3, 100));
        StreambackListener badUrl = listenerWhen(ns, "bad-url", l -> Conditions.get(l.getStatus(), "ScalingActive")
                .map(c -> c.getReason().equals("LagUnavailable")).orElse(false));
        assertThat(condition(badUrl, "ScalingActive").getMessage())
                .isEqualTo("Invalid streams URL 'main=kafka://****@kafka:notaport': main: port 'notaport' of "
                        + "'kafka:notaport' is not a number (at character 32); keeping 1 pod");

        String missing = Testkit.uniqueName("missing");
        String ns2 = namespace("no-topic", testkit.streamsUrl());
        autoscaled(ns2, "no-topic", missing, "no-topic-app", linear(1, 3, 100));
        StreambackListener noTopic = listenerWhen(ns2, "no-topic", l -> Conditions.get(l.getStatus(), "ScalingActive")
                .map(c -> c.getReason().equals("LagUnavailable")).orElse(false));
        assertThat(condition(noTopic, "ScalingActive").getMessage()).isEqualTo("a topic of [" + missing
                + "] does not exist on Kafka (the lag is read once every topic exists); keeping 1 pod");
        replicas(ns2, "no-topic", 1);
    }
}
