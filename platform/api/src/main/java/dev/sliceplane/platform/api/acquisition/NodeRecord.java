package dev.sliceplane.platform.api.acquisition;

import java.util.Objects;
import java.util.Optional;

/**
 * A node of the registry as the agent needs it.
 *
 * @param hostname    the node's host name
 * @param site        its site's login base
 * @param bootState   its boot state as the registry keeps it ({@code boot}, {@code safeboot},
 *                    {@code disabled}, ...); only {@code boot} nodes get tickets
 * @param identityKey the raw 32-byte Ed25519 key it registered, or null before it registered
 */
public record NodeRecord(String hostname, String site, String bootState, byte[] identityKey) {

    public NodeRecord {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(bootState, "bootState");
        identityKey = identityKey == null ? null : identityKey.clone();
    }

    @Override
    public byte[] identityKey() {
        return identityKey == null ? null : identityKey.clone();
    }

    public Optional<byte[]> registeredKey() {
        return Optional.ofNullable(identityKey());
    }
}
