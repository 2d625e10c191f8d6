package dev.sliceplane.accounts.internal.credentials;

import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.TokenClaims;
import dev.sliceplane.accounts.api.TokenVerifier;
import dev.sliceplane.platform.api.security.AuthenticationException;
import dev.sliceplane.platform.api.security.Authenticator;
import dev.sliceplane.platform.api.security.Caller;

/**
 * The platform's {@link Authenticator}: a bearer credential is an access token of this
 * authority. Verification needs only the published keys, not the database, so callers keep
 * being recognised while the database is down.
 */
@Component(service = Authenticator.class)
public final class TokenAuthenticator implements Authenticator {

    private final TokenVerifier verifier;

    @Activate
    public TokenAuthenticator(@Reference TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Caller authenticate(String bearerCredential) throws AuthenticationException {
        TokenClaims claims;
        try {
            claims = verifier.verify(bearerCredential);
        } catch (InvalidTokenException e) {
            throw new AuthenticationException(e.getMessage());
        }
        Set<String> roles = claims.roles().stream().map(Role::id).collect(Collectors.toUnmodifiableSet());
        return Caller.principal(claims.subject(), claims.site(), roles, claims.id(), claims.expiresAt());
    }
}
