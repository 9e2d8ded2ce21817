package io.streamback.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Points the application under test at the testkit's real Kafka broker and Redis server, started
 * once per JVM ({@code io.streamback.testkit.Testkit.shared()}): {@code streamback.streams} is set
 * to their streams URL. Put it next to {@code @SpringBootTest}; needs
 * {@code io.streamback:streamback-testkit} on the test classpath.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureStreambackTestkit
 * class GreetingListenerTest { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(StreambackTestkitConfiguration.class)
public @interface AutoConfigureStreambackTestkit {
}
