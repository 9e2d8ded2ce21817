package io.streamback.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Input injection: the parameter receives the named field of the message value, converted to
 * the parameter's type. A missing field gives null (a reference type) or fails the message
 * (a primitive).
 *
 * <pre>{@code
 * @Listen(topic = "test_input")
 * void testInput(@Input("arg1") String arg1, @Input("arg2") String arg2) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Input {
    /** The field of the message value. */
    String value();
}
