package io.streamback.operator.common;

import java.time.Duration;
import java.time.Instant;

/**
 * How long to wait before looking again at a problem that may go away by itself (a Secret not
 * created yet): as long as the problem has lasted, between 10 seconds and 5 minutes. Waits
 * double without the operator keeping any count: the condition's lastTransitionTime is the clock.
 */
public final class Backoff {

    public static final Duration MIN = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofMinutes(5);

    private Backoff() {
    }

    /** The wait after a problem that started at {@code since}, seen at {@code now}. */
    public static Duration after(Instant since, Instant now) {
        Duration lasted = Duration.between(since, now);
        if (lasted.compareTo(MIN) < 0) {
            return MIN;
        }
        return lasted.compareTo(MAX) > 0 ? MAX : lasted;
    }
}
