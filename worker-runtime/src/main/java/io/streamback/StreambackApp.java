package io.streamback;

/**
 * A service's listeners, for the worker process ({@code streamback.jar run}) to run. List the
 * implementation in {@code META-INF/services/io.streamback.StreambackApp}, or name it in
 * {@code STREAMBACK_APP}; it needs a public no-argument constructor.
 *
 * <pre>{@code
 * public class BillingApp implements StreambackApp {
 *     public String name() { return "billing"; }
 *     public void configure(Streamback streamback) {
 *         streamback.register(new InvoiceListeners());
 *     }
 * }
 * }</pre>
 */
public interface StreambackApp {
    /** The application name (Kafka consumer group) unless {@code STREAMBACK_NAME} sets one. */
    String name();

    /** Registers listeners and callbacks; called once, before the worker starts. */
    void configure(Streamback streamback);
}
