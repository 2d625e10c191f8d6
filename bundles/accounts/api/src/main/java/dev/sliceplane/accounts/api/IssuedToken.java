package dev.sliceplane.accounts.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token and when it expires.
 *
 * @param token     compact JWS
 * @param expiresAt its {@code exp}
 * @since 1.1
 */
public record IssuedToken(String token, Instant expiresAt) {

    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
