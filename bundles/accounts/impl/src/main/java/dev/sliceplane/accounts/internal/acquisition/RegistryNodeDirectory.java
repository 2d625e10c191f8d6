package dev.sliceplane.accounts.internal.acquisition;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.NodeFilter;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeRecord;

/**
 * {@link NodeDirectory}: the registry's nodes, for the agent (authority only: the {@link Registry}
 * exists only there). Boot states are the registry's in lower case ({@code boot}, {@code install},
 * {@code safeboot}, {@code reinstall}, {@code disabled}); the identity key is the raw 32 bytes of
 * the registered Ed25519 key, null before the node registered.
 */
@Component(service = NodeDirectory.class)
public final class RegistryNodeDirectory implements NodeDirectory {

    private final Registry registry;

    @Activate
    public RegistryNodeDirectory(@Reference Registry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<NodeRecord> node(String hostname) {
        try {
            return Optional.of(record(registry.getNode(hostname)));
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND || e.reason() == RegistryException.Reason.INVALID) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<NodeRecord> nodes() {
        return registry.listNodes(NodeFilter.ALL).stream().map(RegistryNodeDirectory::record).toList();
    }

    static NodeRecord record(Node node) {
        byte[] key = node.registered() ? Base64.getUrlDecoder().decode(node.identityKey()) : null;
        return new NodeRecord(node.hostname(), node.site(), node.bootState().name().toLowerCase(Locale.ROOT), key);
    }
}
