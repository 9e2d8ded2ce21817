package io.streamback.examples.guide;

import io.streamback.feedback.FeedbackErrorException;
import io.streamback.feedback.FeedbackLane;
import io.streamback.feedback.FeedbackTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The snippets of the guide's section "Errors and timeouts" (docs/guide.md). */
final class ErrorsAndTimeouts {
    private static final Logger log = LoggerFactory.getLogger(ErrorsAndTimeouts.class);

    private ErrorsAndTimeouts() {
    }

    static void errors(FeedbackLane lane) {
        // tag::errors[]
        try {
            lane.read(Duration.ofSeconds(5));
        } catch (FeedbackErrorException e) {
            log.warn("listener {} failed: {}", e.sourceGroup().orElse("?"), e.error());
        } catch (FeedbackTimeoutException e) {
            log.warn("no answer: {}", e.getMessage());
        }
        // end::errors[]
    }
}
