package io.streamback.operator;

import static io.streamback.operator.testing.TestResources.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.Kubectl;
import io.streamback.operator.testing.TestResources;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch of 100 listeners applied with kubectl: every one gets its Deployment and a status. Prints
 * what docs/operator-scale.md reports, as "BATCH ..." lines: the time from kubectl apply to 100
 * Deployments and to 100 statuses, the operator's API requests per listener per minute at steady
 * state, and the heap the test JVM (operator included) uses with and without the 100 listeners.
 */
class BatchTest {

    static final Logger log = LoggerFactory.getLogger(BatchTest.class);
    static final int LISTENERS = 100;
    static final Duration STEADY_WINDOW = Duration.ofSeconds(30);

    @Test
    void aHundredListeners() throws Exception {
        try (Cluster cluster = Cluster.withOperator()) {
            String ns = cluster.namespace("batch");
            cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
            long heapBefore = heapAfterGc();
            Path manifests = Files.createTempFile("listeners", ".yaml");
            Files.writeString(manifests, IntStream.range(0, LISTENERS).mapToObj(i -> {
                StreambackListener listener = listener(ns, "listener-" + i, "topic-" + i);
                listener.getSpec().setConcurrency(1 + i % 3);
                return Serialization.asYaml(listener);
            }).collect(Collectors.joining()));

            long start = System.nanoTime();
            Kubectl.run(cluster, "apply", "-f", manifests.toString());
            long applied = System.nanoTime();
            List<Deployment> deployments = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.client().apps().deployments().inNamespace(ns).list().getItems(),
                            list -> list.size() == LISTENERS);
            long created = System.nanoTime();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(
                    () -> cluster.client().resources(StreambackListener.class).inNamespace(ns).list().getItems(),
                    list -> list.size() == LISTENERS && list.stream().allMatch(l -> l.getStatus() != null
                            && Objects.equals(l.getStatus().getObservedGeneration(), l.getMetadata().getGeneration())));
            long statuses = System.nanoTime();
            Files.delete(manifests);

            Map<String, Integer> replicas = deployments.stream()
                    .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d.getSpec().getReplicas()));
            IntStream.range(0, LISTENERS).forEach(i -> assertThat(replicas).containsEntry("listener-" + i, 1 + i % 3));

            // Steady state: the pods stay Pending (no kubelet), nothing changes; what does the operator still ask?
            await().atMost(Duration.ofSeconds(60)).until(() -> quietFor(cluster, Duration.ofSeconds(3)));
            int before = cluster.operatorCalls().size();
            await().during(STEADY_WINDOW).atMost(STEADY_WINDOW.plusSeconds(5)).until(() -> true);
            int steadyCalls = cluster.operatorCalls().size() - before;
            long heapWith = heapAfterGc();

            log.info("BATCH kubectl apply of {} listeners took {} ms", LISTENERS, millis(start, applied));
            log.info("BATCH {} Deployments {} ms after kubectl apply started, {} statuses after {} ms", LISTENERS,
                    millis(start, created), LISTENERS, millis(start, statuses));
            log.info("BATCH steady state: {} operator API requests in {} s with {} listeners = {} per listener per minute",
                    steadyCalls, STEADY_WINDOW.toSeconds(), LISTENERS,
                    String.format("%.3f", steadyCalls * 60.0 / STEADY_WINDOW.toSeconds() / LISTENERS));
            log.info("BATCH heap used after GC (test JVM with the operator): {} MiB before, {} MiB with {} listeners",
                    heapBefore / (1 << 20), heapWith / (1 << 20), LISTENERS);
        }
    }

    private static boolean quietFor(Cluster cluster, Duration window) {
        int before = cluster.operatorCalls().size();
        await().during(window).atMost(window.plusSeconds(1)).until(() -> true);
        return cluster.operatorCalls().size() == before;
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
