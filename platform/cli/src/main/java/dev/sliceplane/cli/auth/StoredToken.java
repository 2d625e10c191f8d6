package dev.sliceplane.cli.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An access token kept for one node, where its API key came from when that may be read again
 * without asking (a file given to {@code login --api-key-file}), and which key it was.
 *
 * @param token      the bearer token
 * @param expiresAt  when the node stops accepting it
 * @param apiKeyFile absolute path of the remembered API key file, or null
 * @param keyDigest  {@link LoginSecret#digest()} of the API key it was issued for; null after a password login
 */
public record StoredToken(String token, Instant expiresAt, String apiKeyFile, String keyDigest) {

    /** A token this close to expiry is treated as expired: the request may take that long to arrive. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

    public StoredToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean usableAt(Instant now) {
        return now.plus(EXPIRY_MARGIN).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "StoredToken[expiresAt=" + expiresAt + ", apiKeyFile=" + apiKeyFile + ", keyDigest=" + keyDigest
                + ", token=(hidden)]";
    }
}
