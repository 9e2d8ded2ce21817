package io.streamback.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamback.Streamback;
import io.streamback.feedback.Reply;
import io.streamback.spring.boot.test.AutoConfigureStreambackTestkit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;

/** The service as it runs, against the testkit's real Kafka broker and Redis server. */
@SpringBootTest(properties = "example.heartbeat.cron=* * * * * *")
@AutoConfigureStreambackTestkit
@AutoConfigureMockMvc
class GreetingServiceTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

    @Autowired
    Streamback streamback;

    @Autowired
    MockMvc mvc;

    @Autowired
    HeartbeatListener heartbeats;

    // tag::rpc[]
    @Test
    void theGreetingListenerAnswersAnRpc() {
        assertThat(streamback.send("greetings", Map.of("name", "Ada")).read(REPLY_TIMEOUT).map(Reply::value))
                .map(JsonNode::asText).contains("Hello, Ada!");
    }
    // end::rpc[]

    @Test
    void theCountdownListenerStreamsItsReplies() {
        assertThat(streamback.send("countdown", Map.of("from", 3)).stream(REPLY_TIMEOUT).map(Reply::value).map(JsonNode::asInt))
                .containsExactly(3, 2, 1);
    }

    @Test
    void theControllerReturnsTheListenersReply() throws Exception {
        mvc.perform(get("/greetings/Grace"))
                .andExpect(status().isOk())
                .andExpect(content().string("Hello, Grace!"));
    }

    @Test
    void theScheduleReachesItsListener() {
        await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats.received() > 0);
    }

    @Test
    void healthAndReadinessReportStreamback() throws Exception {
        // UP once the broker has the listeners' topics, which the service creates as it starts
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> mvc.perform(get("/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components.streamback.status").value("UP"))
                .andExpect(jsonPath("$.components.streamback.details.application").value("greeting-service")));
        mvc.perform(get("/actuator/health/readiness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.streamback.status").value("UP"));
    }
}
