package io.streamback.examples.spring;

import io.streamback.schedule.Schedule;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A schedule as a bean: sent once per occurrence across all replicas of the service. */
@Configuration(proxyBeanMethods = false)
public class HeartbeatSchedule {

    // tag::bean[]
    @Bean
    public Schedule heartbeat(@Value("${example.heartbeat.cron:*/30 * * * * *}") String cron) {
        return Schedule.named("heartbeat")
                .when(cron)
                .then("heartbeats")
                .args(Map.of("from", "greeting-service"))
                .description("tells the heartbeat listener that the service is alive")
                .build();
    }
    // end::bean[]
}
