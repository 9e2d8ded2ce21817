package io.streamback.feedback;

import java.util.Objects;
import java.util.Optional;

/**
 * One reply a listener sent with {@code message.respond(value)}.
 *
 * <p>A listener may reply {@code null}: then {@link #value()} is null, and the reply is still a
 * reply. The end of the replies is not one: {@code read} returns {@code Optional.empty()} and
 * {@code stream} ends.
 *
 * @param value       what the listener sent, mapped to the type asked for; null for a null reply
 * @param sourceGroup the application that replied, when its entry says
 */
public record Reply<T>(T value, Optional<String> sourceGroup) {
    public Reply {
        Objects.requireNonNull(sourceGroup, "sourceGroup");
    }
}
