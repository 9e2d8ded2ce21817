package io.streamback.operator;

import static io.streamback.operator.testing.TestResources.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A batch of 100 listeners: every one gets its Deployment and a Ready status. */
class BatchTest {

    static final Logger log = LoggerFactory.getLogger(BatchTest.class);
    static final int LISTENERS = 100;

    @Test
    void aHundredListeners() {
        try (Cluster cluster = Cluster.withOperator()) {
            String ns = cluster.namespace("batch");
            cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
            long start = System.nanoTime();
            for (int i = 0; i < LISTENERS; i++) {
                StreambackListener listener = listener(ns, "listener-" + i, "topic-" + i);
                listener.getSpec().setConcurrency(1 + i % 3);
                cluster.create(listener);
            }

            List<Deployment> deployments = await().atMost(Duration.ofSeconds(60))
                    .until(() -> cluster.client().apps().deployments().inNamespace(ns).list().getItems(),
                            list -> list.size() == LISTENERS);
            long created = System.nanoTime();
            Map<String, Integer> replicas = deployments.stream()
                    .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d.getSpec().getReplicas()));
            IntStream.range(0, LISTENERS).forEach(i ->
                    assertThat(replicas).containsEntry("listener-" + i, 1 + i % 3));

            deployments.forEach(d -> cluster.reportReady(ns, d.getMetadata().getName()));
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> cluster.client().resources(StreambackListener.class).inNamespace(ns).list().getItems(),
                    list -> list.size() == LISTENERS && list.stream().allMatch(l -> Conditions.isTrue(l.getStatus(), "Ready")));
            log.info("{} listeners: Deployments after {} ms, all Ready after {} ms", LISTENERS,
                    (created - start) / 1_000_000, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
