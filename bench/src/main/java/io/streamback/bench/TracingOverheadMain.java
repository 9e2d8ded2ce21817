package io.streamback.bench;

import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.streamback.internal.tracing.EndMarkerSpans;
import io.streamback.internal.tracing.FeedbackTrace;
import io.streamback.internal.tracing.ListenerSpan;
import io.streamback.internal.tracing.ListenerTracing;
import io.streamback.internal.tracing.ProducerContext;
import io.streamback.internal.tracing.SendSpan;
import io.streamback.internal.tracing.StreambackTracing;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The tracing work of one RPC alone, without Kafka and Redis: what Streamback's send, listener
 * call, reply, end marker and read do for tracing, in a loop, with tracing off and with the SDK
 * (batch processor, exporter to nowhere; the loop outruns the processor's queue, so most spans are
 * dropped after being recorded). Prints nanoseconds per RPC; the network round trips it leaves out
 * are the same either way. Arguments: [rpcs per measured pass] [passes].
 */
public final class TracingOverheadMain {
    private static final String TOPIC = "orders";
    private static final String FEEDBACK_TOPIC = "streamback_feedback_7f1d0f0e-5e0c-4a43-9d4e-0a6f1d2b3c4d";
    private static final RecordMetadata ACK = new RecordMetadata(new TopicPartition(TOPIC, 0), 42L, 0, 0L, 3, 64);

    /** Held: the SDK's batch processor warns of every span it drops, and this loop outruns any export. */
    private static final Logger BATCH_PROCESSOR_LOG = Logger.getLogger(BatchSpanProcessor.class.getName());

    private TracingOverheadMain() {
    }

    public static void main(String[] args) {
        int rpcs = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        BATCH_PROCESSOR_LOG.setLevel(Level.OFF);
        try (BenchTracing off = new BenchTracing(BenchTracing.Mode.off);
             BenchTracing sdk = new BenchTracing(BenchTracing.Mode.sdk)) {
            StreambackTracing untraced = StreambackTracing.of(off.openTelemetry());
            StreambackTracing traced = StreambackTracing.of(sdk.openTelemetry());
            // Interleaved passes; the first warms the JIT up and is not counted.
            double offBest = Double.MAX_VALUE;
            double sdkBest = Double.MAX_VALUE;
            for (int pass = 0; pass <= passes; pass++) {
                double offNanos = nanosPerRpc(untraced, rpcs);
                double sdkNanos = nanosPerRpc(traced, rpcs);
                if (pass > 0) {
                    offBest = Math.min(offBest, offNanos);
                    sdkBest = Math.min(sdkBest, sdkNanos);
                }
                System.out.printf("pass %d: off %,.0f ns/RPC, sdk %,.0f ns/RPC%n", pass, offNanos, sdkNanos);
            }
            System.out.printf("best of %d passes of %,d RPCs: off %,.0f ns/RPC, sdk %,.0f ns/RPC (%,d spans exported)%n",
                    passes, rpcs, offBest, sdkBest, sdk.exportedSpans());
        }
    }

    private static double nanosPerRpc(StreambackTracing tracing, int rpcs) {
        ListenerTracing listeners = tracing.listeners("bench-group");
        EndMarkerSpans endMarkers = listeners.endMarkers();
        long start = System.nanoTime();
        for (int i = 0; i < rpcs; i++) {
            // The producer: its span, the headers, the ack.
            SendSpan send = tracing.startSend(TOPIC, null, FEEDBACK_TOPIC, "bench-client");
            send.endWhenAcked(CompletableFuture.completedFuture(ACK));
            // The listener: the record as it arrives, with the producer's headers.
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(TOPIC, 0, i, null, null);
            Iterable<Header> headers = send.headers();
            if (headers != null) {
                RecordHeaders copied = new RecordHeaders(headers);
                copied.forEach(header -> record.headers().add(header));
            }
            ProducerContext sender = listeners.senderOf(record);
            try (ListenerSpan ignored = listeners.start(sender, record, "echo", FEEDBACK_TOPIC)) {
                ListenerSpan.responded();
            }
            endMarkers.queued(sender, TOPIC, null);
            endMarkers.pushed(null);
            // The producer's read of the reply.
            FeedbackTrace feedback = send.feedback();
            int reply = i;
            feedback.read(() -> Optional.of(reply));
        }
        return (System.nanoTime() - start) / (double) rpcs;
    }
}
