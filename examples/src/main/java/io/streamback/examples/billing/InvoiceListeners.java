package io.streamback.examples.billing;

import io.streamback.listener.Input;
import io.streamback.listener.Listen;
import io.streamback.listener.Message;

/** The billing service's listeners, for the worker process page of the docs. */
public class InvoiceListeners {
    @Listen(topic = "invoice_total")
    public void total(@Input("amounts") double[] amounts, Message message) {
        double total = 0;
        for (double amount : amounts) {
            total += amount;
        }
        message.respond(total);
    }
}
