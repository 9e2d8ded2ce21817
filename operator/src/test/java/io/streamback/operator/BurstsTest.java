package io.streamback.operator;

import static io.streamback.operator.testing.TestResources.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.ExponentialBackoffIntervalCalculator;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.listener.StreambackListenerReconciler;
import io.streamback.operator.testing.ApiFaults;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.TestResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 100 listeners created, changed and half of them deleted, each step in bursts, while the API
 * server (errors injected in front of the real one) refuses some of the operator's Deployment writes. Every listener ends with the right
 * Deployment and a clean status, and the refused writes were retried with growing delays: first by
 * the Kubernetes client (on 5xx and 429: 100 ms, doubling), then, once an error reaches the
 * reconciliation (a 409 the client does not retry), by the operator SDK (2 s, 2 s, 4 s, 8 s, ... up to
 * 5 min, or sooner when another event of the listener arrives). The waits are printed as "BURSTS ..."
 * lines.
 */
class BurstsTest {

    static final Logger log = LoggerFactory.getLogger(BurstsTest.class);
    static final int LISTENERS = 100;
    static final int BURST = 25;
    /**
     * The listeners whose Deployment creation is refused: 500 and 429 (the client retries those),
     * then 409 three times (each fails the reconciliation: the operator SDK retries).
     */
    static final IntPredicate CREATE_VICTIM = i -> i % 10 == 3;
    static final int[] CREATE_ERRORS = {500, 429, 409, 409, 409};
    /** The listeners whose Deployment update is refused: 500 (the client retries), then 409 three times. */
    static final IntPredicate UPDATE_VICTIM = i -> i % 10 == 6;
    static final int[] UPDATE_ERRORS = {500, 409, 409, 409};
    static final IntPredicate DELETED = i -> i % 2 == 1;

    final ExecutorService users = Executors.newFixedThreadPool(8);

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200));
    }

    static String name(int i) {
        return "listener-" + i;
    }

    static int concurrencyBefore(int i) {
        return 1 + i % 3;
    }

    static int concurrencyAfter(int i) {
        return 2 + i % 4;
    }

    static String memoryAfter(int i) {
        return i % 2 == 0 ? "256Mi" : "384Mi";
    }

    static final String IMAGE_AFTER = "example/orders-listeners:2.0";

    @Test
    void aHundredListenersInBurstsConvergeDespiteApiErrors() {
        try (Cluster cluster = Cluster.withOperator()) {
            String ns = cluster.namespace("bursts");
            cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
            ApiFaults faults = cluster.faults();
            IntStream.range(0, LISTENERS).filter(CREATE_VICTIM)
                    .forEach(i -> faults.fail(deployments(ns, i), CREATE_ERRORS));

            // Created in bursts of 25, each burst at once from several clients.
            long start = System.nanoTime();
            for (int from = 0; from < LISTENERS; from += BURST) {
                inBurst(from, from + BURST, i -> {
                    StreambackListener listener = listener(ns, name(i), "topic-" + i);
                    listener.getSpec().setConcurrency(concurrencyBefore(i));
                    cluster.create(listener);
                });
            }
            Map<String, Deployment> created = deploymentsWhen(cluster, ns, all -> all.size() == LISTENERS);
            IntStream.range(0, LISTENERS).forEach(i ->
                    assertThat(created.get(name(i)).getSpec().getReplicas()).isEqualTo(concurrencyBefore(i)));
            allClean(cluster, ns, IntStream.range(0, LISTENERS).boxed().toList());
            long createdAndReady = System.nanoTime();
            assertThat(faults.pending()).as("every injected create error was served").isZero();

            // The waits before each retry: the Kubernetes client's own backoff for 5xx and 429, then
            // the operator SDK's retry, as the running operator is configured.
            Config client = cluster.client().getConfiguration();
            ExponentialBackoffIntervalCalculator clientBackoff = new ExponentialBackoffIntervalCalculator(
                    client.getRequestRetryBackoffInterval(), client.getRequestRetryBackoffLimit());
            RetryExecution reconcileBackoff = cluster.operator().operator()
                    .getRegisteredController(StreambackListenerReconciler.NAME).orElseThrow()
                    .getConfiguration().getRetry().initExecution();
            long[] createMinimum = {clientBackoff.getInterval(0), clientBackoff.getInterval(1),
                reconcileBackoff.nextDelay().orElseThrow(), reconcileBackoff.nextDelay().orElseThrow(),
                reconcileBackoff.nextDelay().orElseThrow()};
            // A server-side apply that creates the object answers 201.
            long[] createDelays = retries(faults, ns, CREATE_VICTIM, CREATE_ERRORS, 201, createMinimum);
            faults.clear();

            // Changed in bursts: image, concurrency and memory of every listener.
            IntStream.range(0, LISTENERS).filter(UPDATE_VICTIM)
                    .forEach(i -> faults.fail(deployments(ns, i), UPDATE_ERRORS));
            for (int from = 0; from < LISTENERS; from += BURST) {
                inBurst(from, from + BURST, i -> cluster.edit(StreambackListener.class, ns, name(i), l -> {
                    l.getSpec().setImage(IMAGE_AFTER);
                    l.getSpec().setConcurrency(concurrencyAfter(i));
                    l.getSpec().setMemory(memoryAfter(i));
                }));
            }
            deploymentsWhen(cluster, ns, all -> all.size() == LISTENERS
                    && IntStream.range(0, LISTENERS).allMatch(i -> isChanged(all.get(name(i)), i)));
            allClean(cluster, ns, IntStream.range(0, LISTENERS).boxed().toList());
            long changedAndReady = System.nanoTime();
            assertThat(faults.pending()).as("every injected update error was served").isZero();

            reconcileBackoff = cluster.operator().operator()
                    .getRegisteredController(StreambackListenerReconciler.NAME).orElseThrow()
                    .getConfiguration().getRetry().initExecution();
            long[] updateMinimum = {clientBackoff.getInterval(0), reconcileBackoff.nextDelay().orElseThrow(),
                reconcileBackoff.nextDelay().orElseThrow(), reconcileBackoff.nextDelay().orElseThrow()};
            long[] updateDelays = retries(faults, ns, UPDATE_VICTIM, UPDATE_ERRORS, 200, updateMinimum);

            // Half deleted in one burst; Kubernetes' garbage collector removes their Deployments.
            inBurst(0, LISTENERS, i -> {
                if (DELETED.test(i)) {
                    cluster.client().resources(StreambackListener.class).inNamespace(ns).withName(name(i)).delete();
                }
            });
            List<Integer> kept = IntStream.range(0, LISTENERS).filter(DELETED.negate()).boxed().toList();
            eventually().until(() -> cluster.client().resources(StreambackListener.class).inNamespace(ns).list()
                    .getItems().size() == kept.size());
            long deleted = System.nanoTime();

            // Nothing brings a deleted listener's Deployment back, and the others stay as they are.
            eventually().until(() -> deploymentNames(cluster, ns), names -> names.size() == kept.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(
                    () -> deploymentNames(cluster, ns), names -> names.equals(kept.stream()
                            .map(BurstsTest::name).collect(Collectors.toSet())));
            Map<String, Deployment> last = deploymentsWhen(cluster, ns, all -> all.size() == kept.size());
            for (int i : kept) {
                Deployment deployment = last.get(name(i));
                assertThat(isChanged(deployment, i)).as(name(i)).isTrue();
                assertThat(deployment.getMetadata().getOwnerReferences()).singleElement().satisfies(owner ->
                        assertThat(owner.getUid()).isEqualTo(cluster.get(StreambackListener.class, ns, name(i))
                                .getMetadata().getUid()));
            }
            allClean(cluster, ns, kept);

            // Each victim was told about its error (a Warning Event), and about the recovery.
            IntStream.range(0, LISTENERS).filter(CREATE_VICTIM.or(UPDATE_VICTIM)).filter(DELETED.negate())
                    .forEach(i -> assertThat(cluster.events(ns, name(i)))
                            .as(name(i) + "'s Events")
                            .anySatisfy(e -> {
                                assertThat(e.getReason()).isEqualTo("ReconcileError");
                                assertThat(e.getType()).isEqualTo("Warning");
                                assertThat(e.getMessage()).contains("injected 409");
                            })
                            .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Reconciled")));

            log.info("BURSTS {} listeners in bursts of {}: created and reconciled after {} ms, changed and reconciled after {} ms "
                            + "more, {} deleted after {} ms more", LISTENERS, BURST, millis(start, createdAndReady),
                    millis(createdAndReady, changedAndReady), LISTENERS - kept.size(), millis(changedAndReady, deleted));
            log.info("BURSTS create of {} listeners refused with {}: waits before each retry at least {} ms, "
                            + "median {} ms", IntStream.range(0, LISTENERS).filter(CREATE_VICTIM).count(),
                    Arrays.toString(CREATE_ERRORS), Arrays.toString(createMinimum), Arrays.toString(createDelays));
            log.info("BURSTS update of {} listeners refused with {}: waits before each retry at least {} ms, "
                            + "median {} ms", IntStream.range(0, LISTENERS).filter(UPDATE_VICTIM).count(),
                    Arrays.toString(UPDATE_ERRORS), Arrays.toString(updateMinimum), Arrays.toString(updateDelays));
        } finally {
            users.shutdownNow();
        }
    }

    /** The operator's writes of a listener's Deployment: server-side applies, PATCH. */
    static ApiFaults.Target deployments(String ns, int i) {
        return new ApiFaults.Target("PATCH", "deployments", ns, name(i));
    }

    /** Runs {@code action} for every index in [from, to) at once, from several threads, and waits for all. */
    void inBurst(int from, int to, Consumer<Integer> action) {
        CompletableFuture.allOf(IntStream.range(from, to)
                .mapToObj(i -> CompletableFuture.runAsync(() -> action.accept(i), users))
                .toArray(CompletableFuture[]::new)).join();
    }

    static boolean isChanged(Deployment deployment, int i) {
        if (deployment == null) {
            return false;
        }
        Container worker = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        return deployment.getSpec().getReplicas() == concurrencyAfter(i)
                && IMAGE_AFTER.equals(worker.getImage())
                && worker.getResources() != null
                && new Quantity(memoryAfter(i)).equals(worker.getResources().getLimits().get("memory"));
    }

    static Set<String> deploymentNames(Cluster cluster, String ns) {
        return cluster.client().apps().deployments().inNamespace(ns).list().getItems().stream()
                .map(d -> d.getMetadata().getName()).collect(Collectors.toSet());
    }

    static Map<String, Deployment> deploymentsWhen(Cluster cluster, String ns,
                                                   Predicate<Map<String, Deployment>> condition) {
        return eventually().until(() -> cluster.client().apps().deployments().inNamespace(ns).list().getItems()
                .stream().collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d)), condition);
    }

    /**
     * Every listener listed: a status for its current generation, Degraded=False, no error left
     * behind. (No kubelet runs the pods: Ready says they are rolling out or not ready.)
     */
    static void allClean(Cluster cluster, String ns, List<Integer> listeners) {
        eventually().untilAsserted(() -> {
            Map<String, StreambackListener> all = cluster.client().resources(StreambackListener.class).inNamespace(ns)
                    .list().getItems().stream().collect(Collectors.toMap(l -> l.getMetadata().getName(), l -> l));
            for (int i : listeners) {
                StreambackListener listener = all.get(name(i));
                assertThat(listener).as(name(i)).isNotNull();
                assertThat(listener.getStatus()).as(name(i)).isNotNull();
                assertThat(listener.getStatus().getObservedGeneration()).as(name(i) + " observedGeneration")
                        .isEqualTo(listener.getMetadata().getGeneration());
                StatusCondition ready = Conditions.get(listener.getStatus(), Conditions.READY).orElseThrow();
                StatusCondition degraded = Conditions.get(listener.getStatus(), Conditions.DEGRADED).orElseThrow();
                assertThat(ready.getReason()).as(name(i) + " Ready: " + ready.getMessage())
                        .isIn("RollingOut", "PodsNotReady");
                assertThat(degraded.getStatus()).as(name(i) + " Degraded: " + degraded.getMessage()).isEqualTo("False");
                assertThat(listener.getStatus().getConditions()).extracting(StatusCondition::getReason)
                        .doesNotContain("ReconcileError", "InvalidSpec", "SecretNotFound");
            }
        });
    }

    /**
     * The operator's writes of each victim's Deployment: one per injected error, then the one that
     * worked. The Kubernetes client's retries (after 5xx and 429) wait at least as its settings say.
     * The operator SDK's retries (after a 409) wait as its settings say unless another event of the
     * listener comes first (on a real server the Deployment controller updates the Deployment's
     * status meanwhile), which reconciles at once: so only their number is checked, not their waits.
     *
     * @return the median of each wait, in milliseconds
     */
    static long[] retries(ApiFaults faults, String ns, IntPredicate victim, int[] errors, int success,
                          long[] minimumMillis) {
        List<long[]> delays = new ArrayList<>();
        IntStream.range(0, LISTENERS).filter(victim).forEach(i -> {
            List<ApiFaults.Attempt> attempts = faults.attempts(deployments(ns, i));
            assertThat(attempts).as(name(i)).extracting(ApiFaults.Attempt::code)
                    .startsWith(IntStream.concat(Arrays.stream(errors), IntStream.of(success)).boxed()
                            .toArray(Integer[]::new));
            long[] waits = new long[errors.length];
            for (int a = 0; a < errors.length; a++) {
                waits[a] = (attempts.get(a + 1).nanos() - attempts.get(a).nanos()) / 1_000_000;
            }
            for (int a = 0; a < errors.length; a++) {
                if (errors[a] >= 500 || errors[a] == 429) {
                    assertThat(waits[a]).as("%s: wait after error %d (%d)", name(i), a + 1, errors[a])
                            .isGreaterThanOrEqualTo(minimumMillis[a]);
                }
            }
            delays.add(waits);
        });
        long[] medians = new long[errors.length];
        for (int a = 0; a < errors.length; a++) {
            int index = a;
            List<Long> sorted = delays.stream().map(w -> w[index]).sorted().toList();
            medians[a] = sorted.get(sorted.size() / 2);
        }
        return medians;
    }

    static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
