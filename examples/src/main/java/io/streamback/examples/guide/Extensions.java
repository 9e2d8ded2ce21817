package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.callback.AutoRestart;
import io.streamback.callback.ListenerStats;
import java.time.Duration;

/** The snippets of the guide's section "Extensions: ListenerStats and AutoRestart" (docs/guide.md). */
final class Extensions {
    private Extensions() {
    }

    static void extensions(Streamback streamback) {
        // tag::extensions[]
        streamback.addCallback(new ListenerStats(Duration.ofSeconds(10)));          // logs memory and per-listener stats
        streamback.addCallback(new AutoRestart(Duration.ofSeconds(10), 100));        // recycle every 10 s, or above 100 MB RSS

        class MyListenerStats extends ListenerStats {                               // ship the stats elsewhere
            MyListenerStats() { super(Duration.ofSeconds(10)); }
            protected void onStats(Stats stats) { System.out.println(stats); }
        }
        // end::extensions[]
        streamback.addCallback(new MyListenerStats());
    }
}
