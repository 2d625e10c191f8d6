package dev.sliceplane.accounts.internal.credentials;

import java.time.Instant;

import dev.sliceplane.jose.Ed25519PublicKey;

/**
 * Where a verifier finds the public key a JWS names in its {@code kid}: the authority's own
 * {@link KeyRing}, or on a node the JWKS it last fetched from its authority.
 */
public interface VerificationKeys {

    /** The published key with this id at {@code now}, or null when there is none. */
    Ed25519PublicKey verificationKey(String kid, Instant now);
}
