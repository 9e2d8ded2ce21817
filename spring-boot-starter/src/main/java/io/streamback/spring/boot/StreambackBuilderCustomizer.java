package io.streamback.spring.boot;

import io.streamback.Streamback;

/**
 * Adjusts the auto-configured {@link Streamback.Builder} after the {@code streamback.*} properties
 * are applied, for settings that are code rather than configuration (a retry strategy, a Kafka
 * client setting computed at runtime). Every customizer bean is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface StreambackBuilderCustomizer {
    void customize(Streamback.Builder builder);
}
