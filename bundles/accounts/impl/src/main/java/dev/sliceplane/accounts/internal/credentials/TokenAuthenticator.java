package dev.sliceplane.accounts.internal.credentials;

import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.TokenClaims;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.security.AuthenticationException;
import dev.sliceplane.platform.api.security.Authenticator;
import dev.sliceplane.platform.api.security.Caller;

/**
 * The platform's {@link Authenticator}: a bearer credential is an access token of a principal or
 * a node credential, both signed by the authority. The header's {@code typ} chooses which strict
 * verification runs (and that verification checks the {@code typ} again). Verification needs only
 * the published keys: on the authority its own key ring, on a joined node the keys it cached, so
 * callers keep being recognised while the database, or the whole authority, is down.
 */
@Component(service = Authenticator.class)
public final class TokenAuthenticator implements Authenticator {

    private final CredentialVerifier verifier;

    @Activate
    public TokenAuthenticator(@Reference CredentialVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Caller authenticate(String bearerCredential) throws AuthenticationException {
        try {
            if (CredentialReader.NODE_CREDENTIAL_TYPE.equals(Jws.peekType(bearerCredential))) {
                NodeCredentialClaims node = verifier.verifyNodeCredential(bearerCredential);
                return Caller.node(node.hostname(), node.site(), node.id(), node.expiresAt());
            }
            TokenClaims claims = verifier.verify(bearerCredential);
            Set<String> roles = claims.roles().stream().map(Role::id).collect(Collectors.toUnmodifiableSet());
            return Caller.principal(claims.subject(), claims.site(), roles, claims.id(), claims.expiresAt());
        } catch (InvalidTokenException e) {
            throw new AuthenticationException(e.getMessage());
        }
    }
}
