package io.streamback.spring.boot.actuate;

import io.streamback.Streamback;
import io.streamback.spring.boot.StreambackAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The "streamback" health indicator, when Actuator is on the classpath. */
@AutoConfiguration(after = StreambackAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(Streamback.class)
@ConditionalOnEnabledHealthIndicator("streamback")
public class StreambackHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "streambackHealthIndicator")
    public StreambackHealthIndicator streambackHealthIndicator(Streamback streamback) {
        return new StreambackHealthIndicator(streamback);
    }
}
