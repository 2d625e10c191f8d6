package dev.sliceplane.accounts.internal.credentials;

import java.time.Instant;
import java.util.Objects;

/**
 * The verified claims of a node credential.
 *
 * @param issuer    {@code iss}
 * @param hostname  {@code sub}: the node's host name
 * @param site      {@code site}: the node's site
 * @param nodeKey   the node's Ed25519 public key from {@code cnf.jwk.x} (unpadded base64url)
 * @param issuedAt  {@code iat}
 * @param expiresAt {@code exp}
 * @param id        {@code jti}
 */
public record NodeCredentialClaims(String issuer, String hostname, String site, String nodeKey, Instant issuedAt,
        Instant expiresAt, String id) {

    public NodeCredentialClaims {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(nodeKey, "nodeKey");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(id, "id");
    }
}
