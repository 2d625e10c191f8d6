package dev.sliceplane.accounts.internal.credentials;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.TokenVerifier;

/**
 * Verifies both kinds of bearer credential: access tokens ({@link TokenVerifier}) and node
 * credentials. Provided inside this bundle by the authority, or, on a node that has joined an
 * authority, by the node's cache of that authority's keys; {@link TokenAuthenticator} uses
 * whichever runs.
 */
public interface CredentialVerifier extends TokenVerifier {

    /**
     * Verifies a node credential.
     *
     * @throws InvalidTokenException when it is malformed, not a node credential, signed by an
     *                               unknown key, from another issuer, or expired
     */
    NodeCredentialClaims verifyNodeCredential(String credential);
}
