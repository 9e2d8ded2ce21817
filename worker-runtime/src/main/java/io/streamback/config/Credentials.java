package io.streamback.config;

import java.util.Optional;

/**
 * A user name (optional for Redis' default user) and a password.
 * {@link #toString()} never shows the password, so credentials can't leak through logs.
 */
public record Credentials(Optional<String> username, String password) {
    @Override
    public String toString() {
        return username.map(u -> u + ":****").orElse(":****");
    }
}
