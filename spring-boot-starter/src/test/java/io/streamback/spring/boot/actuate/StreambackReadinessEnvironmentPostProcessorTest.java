package io.streamback.spring.boot.actuate;

import static io.streamback.spring.boot.actuate.StreambackReadinessEnvironmentPostProcessor.READINESS_INCLUDE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class StreambackReadinessEnvironmentPostProcessorTest {
    private final MockEnvironment environment = new MockEnvironment();

    private void postProcess() {
        new StreambackReadinessEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
    }

    @Test
    void withProbesTheReadinessGroupIncludesStreamback() {
        environment.setProperty("management.endpoint.health.probes.enabled", "true");
        postProcess();
        assertThat(environment.getProperty(READINESS_INCLUDE)).isEqualTo("readinessState,streamback");
    }

    @Test
    void onKubernetesTheReadinessGroupIncludesStreamback() {
        environment.setProperty("spring.main.cloud-platform", "kubernetes");
        postProcess();
        assertThat(environment.getProperty(READINESS_INCLUDE)).isEqualTo("readinessState,streamback");
    }

    @Test
    void withoutProbesThereIsNoReadinessGroupToJoin() {
        postProcess();
        assertThat(environment.containsProperty(READINESS_INCLUDE)).isFalse();
    }

    @Test
    void anApplicationsOwnReadinessGroupIsLeftAsItIs() {
        environment.setProperty("management.endpoint.health.probes.enabled", "true");
        environment.setProperty(READINESS_INCLUDE, "readinessState,db");
        postProcess();
        assertThat(environment.getProperty(READINESS_INCLUDE)).isEqualTo("readinessState,db");
    }

    @Test
    void aDisabledStreambackIndicatorIsNotIncluded() {
        environment.setProperty("management.endpoint.health.probes.enabled", "true");
        environment.setProperty("management.health.streamback.enabled", "false");
        postProcess();
        assertThat(environment.containsProperty(READINESS_INCLUDE)).isFalse();
    }
}
