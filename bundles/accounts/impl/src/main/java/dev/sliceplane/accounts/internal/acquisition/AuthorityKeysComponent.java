package dev.sliceplane.accounts.internal.acquisition;

import java.time.Instant;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;

/**
 * {@link AuthorityKeys} on the authority: its own key ring and configured issuer. (A joined node
 * registers {@link PublishedAuthorityKeys} over its cached JWKS instead, by hand.)
 */
@Component(service = AuthorityKeys.class)
public final class AuthorityKeysComponent implements AuthorityKeys {

    private final PublishedAuthorityKeys keys;

    @Activate
    public AuthorityKeysComponent(@Reference AuthorityComponent authority) {
        this.keys = new PublishedAuthorityKeys(authority::issuer, authority.publishedKeys());
    }

    @Override
    public String issuer() {
        return keys.issuer();
    }

    @Override
    public Optional<byte[]> ed25519Key(String kid, Instant now) {
        return keys.ed25519Key(kid, now);
    }
}
