package io.streamback.examples.billing;

import io.streamback.Streamback;
import io.streamback.StreambackApp;
import io.streamback.callback.ListenerStats;
import java.time.Duration;

/** A service's listeners for the worker process: the docs' example of a {@link StreambackApp}. */
// tag::app[]
public class BillingApp implements StreambackApp {
    public String name() { return "billing"; }                  // the consumer group
    public void configure(Streamback streamback) {
        streamback.register(new InvoiceListeners())
                  .addCallback(new ListenerStats(Duration.ofMinutes(1)));
    }
}
// end::app[]
