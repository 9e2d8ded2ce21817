package io.streamback.examples.spring;

import io.streamback.Streamback;
import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Calls the "greetings" listener through Streamback and returns its reply. */
@RestController
public class GreetingController {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final Streamback streamback;

    public GreetingController(Streamback streamback) {
        this.streamback = streamback;
    }

    // tag::greet[]
    @GetMapping("/greetings/{name}")
    public ResponseEntity<String> greet(@PathVariable String name) {
        return streamback.send("greetings", Map.of("name", name))
                .read(REPLY_TIMEOUT, String.class)
                .map(reply -> ResponseEntity.ok(reply.value()))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("the listener did not reply"));
    }
    // end::greet[]

    @ExceptionHandler(FeedbackTimeoutException.class)
    public ResponseEntity<String> noReplyInTime(FeedbackTimeoutException e) {
        return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(e.getMessage());
    }

    @ExceptionHandler(FeedbackErrorException.class)
    public ResponseEntity<String> listenerFailed(FeedbackErrorException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(e.getMessage());
    }
}
