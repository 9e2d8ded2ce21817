package io.streamback.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.streamback.Streamback;
import io.streamback.callback.Callback;
import io.streamback.kafka.TopicDefaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A {@link Streamback} built from the {@code streamback.*} properties and the application's
 * {@link MeterRegistry} and {@link OpenTelemetry}, and the {@link StreambackLifecycle} that registers the listener, router and
 * schedule beans and runs them with the application context.
 */
@AutoConfiguration(afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@EnableConfigurationProperties(StreambackProperties.class)
public class StreambackAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(StreambackAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    public Streamback streamback(StreambackProperties properties, Environment environment,
                                 ObjectProvider<MeterRegistry> meterRegistry,
                                 ObjectProvider<OpenTelemetry> openTelemetry,
                                 ObjectProvider<StreambackBuilderCustomizer> customizers,
                                 ObjectProvider<Callback> callbacks) {
        String streams = StreamsUrlResolver.resolve(properties, environment);
        Streamback.Builder builder = Streamback.builder(applicationName(properties, environment)).streams(streams);
        PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
        map.from(properties::getFeedbackTimeout).to(builder::feedbackTimeout);
        map.from(properties::getFeedbackTtl).to(builder::feedbackTtl);
        map.from(properties::getConnectTimeout).to(builder::connectTimeout);
        map.from(properties::getShutdownTimeout).to(builder::shutdownTimeout);
        map.from(properties::getScheduleGrace).to(builder::scheduleGrace);
        map.from(properties::getListenerConcurrency).to(builder::defaultConcurrency);
        map.from(properties::getKeyPartitioner).to(builder::keyPartitioner);
        map.from(properties::getDeadLetterTopic).as(String::strip)
                .to(pattern -> builder.deadLetterTopic(pattern.equalsIgnoreCase("off") ? null : pattern));
        map.from(properties::getCreateMissingTopics).whenHasText().as(StreambackAutoConfiguration::topicDefaults)
                .to(builder::createMissingTopics);
        properties.getKafka().forEach(builder::kafkaProperty);
        meterRegistry.ifUnique(builder::meterRegistry);
        // Spring Boot's OpenTelemetry bean is not the global one: without this, no spans.
        openTelemetry.ifUnique(builder::openTelemetry);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        Streamback streamback = builder.build();
        callbacks.orderedStream().forEach(streamback::addCallback);
        log.info("Streamback '{}' on {}", streamback.name(), streamback.streams());
        return streamback;
    }

    @Bean
    @ConditionalOnMissingBean
    public StreambackLifecycle streambackLifecycle(Streamback streamback, StreambackProperties properties,
                                                   ConfigurableListableBeanFactory beanFactory) {
        return new StreambackLifecycle(streamback, beanFactory, properties.getStartupTimeout(), properties.isAutoStartup());
    }

    private static TopicDefaults topicDefaults(String value) {
        try {
            return TopicDefaults.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("streamback.create-missing-topics: " + e.getMessage(), e);
        }
    }

    private static String applicationName(StreambackProperties properties, Environment environment) {
        if (properties.getName() != null && !properties.getName().isBlank()) {
            return properties.getName().strip();
        }
        String springName = environment.getProperty("spring.application.name");
        if (springName == null || springName.isBlank()) {
            throw new IllegalStateException("Streamback needs an application name (its Kafka consumer group): "
                    + "set streamback.name or spring.application.name");
        }
        return springName.strip();
    }
}
