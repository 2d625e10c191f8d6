package dev.sliceplane.accounts.api;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The verified claims of an access token: who it was issued to and until when.
 *
 * @param issuer    {@code iss}: the authority that signed the token
 * @param subject   {@code sub}: the principal's email
 * @param roles     {@code roles}: the principal's roles when the token was issued
 * @param site      {@code site}: the principal's site (login base)
 * @param issuedAt  {@code iat}
 * @param expiresAt {@code exp}
 * @param id        {@code jti}: unique per token
 * @since 1.1
 */
public record TokenClaims(String issuer, String subject, Set<Role> roles, String site, Instant issuedAt,
        Instant expiresAt, String id) {

    public TokenClaims {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(id, "id");
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    /** Whether the token carries {@code role}. */
    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}
