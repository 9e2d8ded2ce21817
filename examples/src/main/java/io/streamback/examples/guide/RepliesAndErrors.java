package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.Reply;
import io.streamback.listener.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The snippets of docs/replies-and-errors.md. */
final class RepliesAndErrors {
    private RepliesAndErrors() {
    }

    record Customer(int id, String name) {
    }

    record Payment(String account, long amount) {
    }

    /** Books payments; stands in for the service's own. */
    interface Ledger {
        String book(Payment payment);
    }

    static List<Integer> read(Streamback streamback) {
        // tag::read[]
        FeedbackLane lane = streamback.send("lookup", Map.of("id", 7));
        Optional<Reply<Customer>> reply = lane.read(Duration.ofSeconds(5), Customer.class);
        if (reply.isEmpty()) {
            // the listeners finished without replying
        } else if (reply.get().value() == null) {
            // the listener replied null: e.g. "no such customer"
        } else {
            Customer customer = reply.get().value();
        }

        List<Integer> countdown = streamback.send("countdown", Map.of("from", 3))
                .stream(Duration.ofSeconds(5), Integer.class)
                .map(Reply::value)
                .toList();
        // end::read[]
        return countdown;
    }

    static void reject(Streamback streamback, Ledger ledger) {
        // tag::reject[]
        streamback.listen("payments", (context, message) -> {
            Payment payment = message.map(Payment.class);
            if (payment.amount() <= 0) {
                throw new InvalidInputException("amount must be positive, got " + payment.amount());
            }
            message.respond(ledger.book(payment));
        });
        // end::reject[]
    }
}
