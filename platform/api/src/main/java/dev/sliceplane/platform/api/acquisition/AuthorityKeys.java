package dev.sliceplane.platform.api.acquisition;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The authority's published Ed25519 verification keys, as this node knows them: on the authority
 * its own key ring, on a joined node the JWKS it cached, so verification works while the
 * authority is unreachable. Provided by the accounts bundle. Thread-safe; answers from memory.
 */
@ProviderType
public interface AuthorityKeys {

    /** The issuer ({@code iss}) the authority puts in everything it signs. */
    String issuer();

    /** The raw 32-byte public key with this {@code kid}, if it is published and valid at {@code now}. */
    Optional<byte[]> ed25519Key(String kid, Instant now);
}
