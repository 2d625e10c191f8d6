package dev.sliceplane.accounts.internal.node;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The node's own credential and the claims it needs to manage it (issuer, issued, expires), read
 * without verification: it came from the authority over the node's own connection and is
 * verified against the authority's keys once they are fetched.
 */
record StoredCredential(String token, String issuer, Instant issuedAt, Instant expiresAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException when the token is no JWS with {@code iss, iat, exp} */
    static StoredCredential of(String token) {
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("the node credential is not a compact JWS");
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (claims == null || !claims.path("iss").isTextual() || !claims.path("iat").canConvertToLong()
                    || !claims.path("exp").canConvertToLong()) {
                throw new IllegalArgumentException("the node credential lacks iss, iat or exp");
            }
            return new StoredCredential(token.strip(), claims.path("iss").asText(),
                    Instant.ofEpochSecond(claims.path("iat").asLong()), Instant.ofEpochSecond(claims.path("exp").asLong()));
        } catch (IOException e) {
            throw new IllegalArgumentException("the node credential's claims are not JSON");
        }
    }

    /** Renewal is due once two thirds of the credential's life have passed. */
    boolean renewalDue(Instant now) {
        Duration life = Duration.between(issuedAt, expiresAt);
        return !now.isBefore(issuedAt.plus(life.multipliedBy(2).dividedBy(3)));
    }

    boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
