package io.streamback.spring.boot.test;

import io.streamback.testkit.Testkit;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/** Imported by {@link AutoConfigureStreambackTestkit}. */
@TestConfiguration(proxyBeanMethods = false)
public class StreambackTestkitConfiguration {

    /** The servers start when the property is first read, so a context that never reads it starts none. */
    @Bean
    static DynamicPropertyRegistrar streambackTestkitProperties() {
        return registry -> registry.add("streamback.streams", () -> Testkit.shared().streamsUrl());
    }
}
