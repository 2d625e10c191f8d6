package dev.sliceplane.accounts.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies access tokens (compact JWS, EdDSA over Ed25519, RFC 8037) against the authority's
 * published keys: the signature by the key named in the header's {@code kid}, the issuer, and
 * the expiry. The HTTP authorization filter uses it on every request. Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface TokenVerifier {

    /**
     * Verifies {@code token} and returns its claims.
     *
     * @throws InvalidTokenException when the token is malformed, signed by an unknown or retired
     *                               key, tampered with, from another issuer, or expired
     */
    TokenClaims verify(String token);
}
