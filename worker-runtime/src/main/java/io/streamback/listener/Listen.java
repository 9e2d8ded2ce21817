package io.streamback.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a listener: a method of an object given to {@code Streamback.register(object)}, or a
 * {@link Listener} class given to {@code register(Class)}.
 *
 * <p>Method parameters are resolved by type and annotation: {@link Context}, {@link Message},
 * and parameters annotated with {@link Input}, which receive one field of the message value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Listen {
    /** The topic to listen on (or use {@link #topics()}). */
    String topic() default "";

    /** Several topics to listen on. */
    String[] topics() default {};

    /** Dedicated consumer workers for this listener; 0 shares the application's pool worker. */
    int concurrency() default 0;

    /**
     * Dedicated consumer workers by backlog, instead of {@link #concurrency()}: {@code "0:1, 1000:2, 10000:5"}
     * (lag:workers) is 1 worker under 1,000 unread records, 2 from 1,000, 5 from 10,000.
     * See {@link Concurrency}.
     */
    String concurrencyTiers() default "";

    /** How failures are retried; by default the application's retry strategy applies. */
    Retry retry() default @Retry(times = Retry.INHERIT);
}
