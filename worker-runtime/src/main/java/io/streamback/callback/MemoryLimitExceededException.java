package io.streamback.callback;

import io.streamback.StreambackException;

/** The process stayed above {@link AutoRestart}'s memory limit after recycling its workers. */
public final class MemoryLimitExceededException extends StreambackException {
    /** The worker process's exit code for this: "restart me" (EX_TEMPFAIL). */
    public static final int EXIT_CODE = 75;

    public MemoryLimitExceededException(long residentMb, long limitMb) {
        super("Resident memory " + residentMb + " MB stayed above the limit of " + limitMb + " MB after recycling the workers");
    }
}
