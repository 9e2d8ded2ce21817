package io.streamback.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamback.listener.Concurrency.Tier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Concurrency tiers: what they choose, what they reject, and how {@code @Listen} declares them. */
class ConcurrencyTest {
    private static final MessageHandler NOTHING = (context, message) -> {
    };

    @Test
    void tiersPickTheHighestThresholdReached() {
        Concurrency concurrency = Concurrency.byLag().tier(0, 1).tier(1_000, 2).tier(10_000, 5);

        assertThat(concurrency.tiers()).containsExactly(new Tier(0, 1), new Tier(1_000, 2), new Tier(10_000, 5));
        assertThat(concurrency.tierFor(0).workers()).isEqualTo(1);
        assertThat(concurrency.tierFor(999).workers()).isEqualTo(1);
        assertThat(concurrency.tierFor(1_000).workers()).isEqualTo(2);
        assertThat(concurrency.tierFor(9_999).workers()).isEqualTo(2);
        assertThat(concurrency.tierFor(10_000)).isEqualTo(new Tier(10_000, 5));
        assertThat(concurrency.tierFor(Long.MAX_VALUE).workers()).isEqualTo(5);
        assertThat(concurrency.initialWorkers()).isEqualTo(1);
        assertThat(concurrency.scalesByLag()).isTrue();
    }

    @Test
    void defaultsAreThePythonLibrarys() {
        Concurrency concurrency = Concurrency.byLag().tier(0, 1).tier(1_000, 2);

        assertThat(concurrency.checkInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(concurrency.minWorkerLifetime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(concurrency.checkInterval(Duration.ofMillis(200)).minWorkerLifetime(Duration.ofSeconds(1)))
                .isEqualTo(new Concurrency(concurrency.tiers(), Duration.ofMillis(200), Duration.ofSeconds(1)));
    }

    @Test
    void aFixedNumberOrASingleTierDoesNotScale() {
        assertThat(Concurrency.fixed(3).scalesByLag()).isFalse();
        assertThat(Concurrency.fixed(3).initialWorkers()).isEqualTo(3);
        assertThat(Concurrency.fixed(0).initialWorkers()).isZero();
        assertThat(Concurrency.byLag().tier(0, 4).scalesByLag()).isFalse();
        assertThat(ListenerOptions.topic("t").concurrency(2).concurrency()).isEqualTo(Concurrency.fixed(2));
        assertThat(ListenerOptions.topic("t").concurrency()).isEqualTo(Concurrency.fixed(0));
    }

    @Test
    void badTiersAreRejectedSayingWhatIsWrong() {
        assertThatThrownBy(() -> Concurrency.byLag().tier(100, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Concurrency tiers start at lag 0, but the first is at lag 100: [100:1]");
        assertThatThrownBy(() -> Concurrency.byLag().tier(0, 1).tier(1_000, 2).tier(1_000, 3))
                .hasMessage("Concurrency tier lags must increase strictly, but 1000 follows 1000: [0:1, 1000:2, 1000:3]");
        assertThatThrownBy(() -> Concurrency.byLag().tier(0, 1).tier(1_000, 2).tier(500, 3))
                .hasMessageContaining("500 follows 1000");
        assertThatThrownBy(() -> Concurrency.byLag().tier(0, 0))
                .hasMessage("Concurrency tier 0:0 needs at least 1 worker");
        assertThatThrownBy(() -> Concurrency.byLag().tier(0, 3).tier(100, 2))
                .hasMessageContaining("tier 100:2 has fewer workers than the tier below it (0:3)");
        assertThatThrownBy(() -> Concurrency.fixed(-1))
                .hasMessage("concurrency must be 0 (shared worker) or more, got -1");
        assertThatThrownBy(() -> ListenerOptions.topic("t").concurrency(-1))
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> Concurrency.byLag().tier(0, 1).checkInterval(Duration.ZERO))
                .hasMessage("Concurrency checkInterval must be positive, got PT0S");
        assertThatThrownBy(() -> Concurrency.byLag().tier(0, 1).minWorkerLifetime(Duration.ofSeconds(-1)))
                .hasMessage("Concurrency minWorkerLifetime must be positive, got PT-1S");
        assertThatThrownBy(() -> new Router().listen(
                        ListenerOptions.topic("orders").name("orders").concurrency(Concurrency.byLag()), NOTHING))
                .hasMessage("Listener orders: Concurrency.byLag() needs tiers, the first at lag 0: .tier(0, 1).tier(1_000, 2)");
    }

    public static class TieredListeners {
        @Listen(topic = "orders", concurrencyTiers = "0:1, 1_000:2, 10000:5")
        public void orders(Message message) {
        }

        @Listen(topic = "fixed", concurrency = 3)
        public void fixed(Message message) {
        }
    }

    @Test
    void listenDeclaresTiersAsLagColonWorkers() {
        List<ListenerDefinition> definitions = new Router().register(new TieredListeners()).definitions();

        assertThat(definitions).filteredOn(d -> d.name().equals("TieredListeners.orders")).singleElement()
                .extracting(ListenerDefinition::concurrency)
                .isEqualTo(Concurrency.byLag().tier(0, 1).tier(1_000, 2).tier(10_000, 5));
        assertThat(definitions).filteredOn(d -> d.name().equals("TieredListeners.fixed")).singleElement()
                .extracting(ListenerDefinition::concurrency).isEqualTo(Concurrency.fixed(3));
    }

    public static class Unreadable {
        @Listen(topic = "orders", concurrencyTiers = "0:1, 1000")
        public void orders(Message message) {
        }
    }

    public static class NotFromZero {
        @Listen(topic = "orders", concurrencyTiers = "10:1,1000:2")
        public void orders(Message message) {
        }
    }

    public static class Both {
        @Listen(topic = "orders", concurrency = 2, concurrencyTiers = "0:1,1000:2")
        public void orders(Message message) {
        }
    }

    @Test
    void badAnnotationTiersFailAtRegistrationNamingTheListener() {
        assertThatThrownBy(() -> new Router().register(new Unreadable()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Listener Unreadable.orders: Concurrency tier '1000' in \"0:1, 1000\" is not lag:workers"
                        + " (e.g. \"0:1, 1000:2, 10000:5\")");
        assertThatThrownBy(() -> new Router().register(new NotFromZero()))
                .hasMessage("Listener NotFromZero.orders: Concurrency tiers start at lag 0, but the first is at lag 10: [10:1]");
        assertThatThrownBy(() -> new Router().register(new Both()))
                .hasMessage("Listener Both.orders: @Listen takes concurrency or concurrencyTiers, not both");
    }
}
