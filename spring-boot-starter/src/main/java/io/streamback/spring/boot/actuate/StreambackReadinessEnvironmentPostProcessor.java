package io.streamback.spring.boot.actuate;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Puts the "streamback" health indicator into the readiness group, next to Spring's own
 * readinessState, whenever Spring Boot makes that group (probes enabled, or on Kubernetes): a
 * replica whose listeners can't work then gets no traffic. Added as the lowest-precedence default,
 * so an application that configures the readiness group itself keeps its own list.
 */
public class StreambackReadinessEnvironmentPostProcessor implements EnvironmentPostProcessor {
    static final String READINESS_INCLUDE = "management.endpoint.health.group.readiness.include";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!ClassUtils.isPresent("org.springframework.boot.actuate.health.HealthIndicator", application.getClassLoader())
                || environment.containsProperty(READINESS_INCLUDE)
                || !environment.getProperty("management.health.streamback.enabled", Boolean.class, true)
                || !probesEnabled(environment)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource("streamback-readiness",
                Map.of(READINESS_INCLUDE, "readinessState,streamback")));
    }

    private static boolean probesEnabled(ConfigurableEnvironment environment) {
        return environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class,
                CloudPlatform.getActive(environment) == CloudPlatform.KUBERNETES);
    }
}
