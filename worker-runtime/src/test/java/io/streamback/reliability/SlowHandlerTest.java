package io.streamback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.streamback.Streamback;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A listener slower than {@code max.poll.interval.ms}, in two Streamback instances of one group
 * (in process, as the worker takes no Kafka properties from its environment): no rebalance loop,
 * no record lost, none handled by two workers at once.
 */
class SlowHandlerTest {
    private static final long HANDLER_MILLIS = 4_000;

    @Test
    void handlerSlowerThanMaxPollIntervalNoRebalanceLoopNoLossNoConcurrentHandling() throws Exception {
        Testkit testkit = Testkit.shared();
        String topic = Testkit.uniqueName("slow");
        String group = Testkit.uniqueName("slow-group");
        testkit.kafka().createTopic(topic, 2);
        int records = 6;

        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        Map<Integer, AtomicInteger> handledPerWorker = new ConcurrentHashMap<>();
        AtomicInteger maxConcurrentPerRecord = new AtomicInteger();
        List<Streamback> workers = new ArrayList<>();
        try (Streamback client = Streamback.create("client", testkit.streamsUrl())) {
            for (int i = 0; i < 2; i++) {
                int index = i;
                Streamback worker = Streamback.builder(group).streams(testkit.streamsUrl())
                        .kafkaProperty("max.poll.interval.ms", "3000")
                        .build();
                worker.listen(topic, (context, message) -> {
                    String id = message.value().get("id").asText();
                    int now = inFlight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    maxConcurrentPerRecord.accumulateAndGet(now, Math::max);
                    try {
                        Thread.sleep(HANDLER_MILLIS); // the slow work itself
                        handled.add(id);
                        handledPerWorker.computeIfAbsent(index, k -> new AtomicInteger()).incrementAndGet();
                    } finally {
                        inFlight.get(id).decrementAndGet();
                    }
                });
                workers.add(worker);
            }
            CompletableFuture.allOf(workers.stream().map(Streamback::startAsync).toArray(CompletableFuture[]::new))
                    .get(90, TimeUnit.SECONDS);
            // Cooperative rebalancing moves a partition to a joining member in a second, follow-up rebalance:
            // count from when the group has settled.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(60)).until(
                    () -> workers.stream().mapToDouble(SlowHandlerTest::rebalances).sum(),
                    new java.util.function.Predicate<Double>() {
                        private double last = Double.NaN;

                        @Override
                        public boolean test(Double total) {
                            boolean same = total == last;
                            last = total;
                            return same;
                        }
                    });
            Map<Streamback, Double> rebalancesAtStart = new HashMap<>();
            workers.forEach(worker -> rebalancesAtStart.put(worker, rebalances(worker)));
            assertThat(rebalancesAtStart.values()).as("the consumers report their rebalances (joining the group is one)")
                    .allMatch(count -> count >= 1);

            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                sent.add(client.send(topic, Map.of("id", Integer.toString(i)), "key-" + i).sent());
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(90)).until(() -> handled.size() >= records);
            // nothing comes again once every record is done: no redelivery after a lost membership
            await().during(Duration.ofSeconds(HANDLER_MILLIS / 1000 + 2)).atMost(Duration.ofSeconds(30))
                    .until(() -> handled.size() == records);

            double extraRebalances = workers.stream().mapToDouble(w -> rebalances(w) - rebalancesAtStart.get(w)).sum();
            System.out.printf("RELIABILITY slow handler: sent=%d handled=%d distinct=%d lost=%d duplicated=%d"
                            + " maxConcurrentPerRecord=%d rebalancesAtStart=%s rebalancesWhileHandling=%.0f perWorker=%s%n",
                    records, handled.size(), new java.util.HashSet<>(handled).size(),
                    records - new java.util.HashSet<>(handled).size(), handled.size() - new java.util.HashSet<>(handled).size(),
                    maxConcurrentPerRecord.get(), rebalancesAtStart.values(), extraRebalances, handledPerWorker);
            assertThat(handled).as("each record handled exactly once").containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, records).mapToObj(Integer::toString).toList());
            assertThat(maxConcurrentPerRecord.get()).as("never two workers on one record").isEqualTo(1);
            assertThat(extraRebalances).as("no rebalance while the slow records were handled").isZero();
        } finally {
            workers.forEach(Streamback::close);
        }
    }

    /** The Kafka consumer's own count of rebalances this instance took part in (coordinator metric rebalance-total). */
    private static double rebalances(Streamback worker) {
        double total = Double.NaN;
        for (Meter meter : worker.meterRegistry().getMeters()) {
            if (meter.getId().getName().equals("kafka.consumer.coordinator.rebalance.total")) {
                for (Measurement measurement : meter.measure()) {
                    total = (Double.isNaN(total) ? 0 : total) + measurement.getValue();
                }
            }
        }
        return total;
    }
}
