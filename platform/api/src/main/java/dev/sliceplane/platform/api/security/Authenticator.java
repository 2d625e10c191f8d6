package dev.sliceplane.platform.api.security;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a bearer credential into a {@link Caller}. Provided by the accounts sub-service (the
 * platform knows nothing of how credentials are made); the authentication filter calls it for
 * every request that carries {@code Authorization: Bearer ...}. Must be fast and thread-safe.
 */
@ConsumerType
public interface Authenticator {

    /**
     * The caller the credential proves.
     *
     * @throws AuthenticationException when the credential is malformed, forged, expired or
     *                                 revoked; its message may be shown to the caller
     */
    Caller authenticate(String bearerCredential) throws AuthenticationException;
}
