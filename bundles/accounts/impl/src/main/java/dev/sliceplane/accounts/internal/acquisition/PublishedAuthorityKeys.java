package dev.sliceplane.accounts.internal.acquisition;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.sliceplane.accounts.internal.credentials.VerificationKeys;
import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;

/**
 * {@link AuthorityKeys} over the keys this process verifies credentials with: on the authority its
 * {@code KeyRing} (published keys only, retired ones until their retire time), on a joined node the
 * JWKS it cached. So a ticket's agent certificate is judged by the same keys as an access token.
 */
public final class PublishedAuthorityKeys implements AuthorityKeys {

    private final Supplier<String> issuer;
    private final VerificationKeys keys;

    public PublishedAuthorityKeys(Supplier<String> issuer, VerificationKeys keys) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public String issuer() {
        return issuer.get();
    }

    @Override
    public Optional<byte[]> ed25519Key(String kid, Instant now) {
        if (kid == null || now == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(keys.verificationKey(kid, now)).map(Ed25519PublicKey::bytes);
    }
}
