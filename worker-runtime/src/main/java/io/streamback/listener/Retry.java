package io.streamback.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The annotation form of {@link RetryStrategy}, for {@link Listen#retry()}. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Retry {
    /** {@link #times()} value meaning "use the application's default strategy". */
    int INHERIT = -1;

    /** Retries after the first attempt. */
    int times();

    /** Wait before the first retry, in milliseconds. */
    long intervalMillis() default 0;

    /** Each further wait is the previous one times this (1: a fixed interval). */
    double multiplier() default 1.0;

    /** The longest wait, in milliseconds. */
    long maxIntervalMillis() default 60_000;

    /** Only failures of these types are retried. */
    Class<? extends Throwable>[] on() default Exception.class;
}
