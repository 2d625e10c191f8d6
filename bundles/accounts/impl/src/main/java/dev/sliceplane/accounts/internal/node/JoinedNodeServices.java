package dev.sliceplane.accounts.internal.node;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.internal.acquisition.KeyNodeSigner;
import dev.sliceplane.accounts.internal.acquisition.PublishedAuthorityKeys;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;

/**
 * The acquisition services a joined node provides, registered by hand as its {@link NodeAgent}'s
 * state allows: {@link SliceDirectory} from the start (the cache, with a bounded on-demand fetch);
 * {@link AuthorityKeys} once the node holds the authority's keys and a credential naming the
 * issuer; {@link NodeSigner} only while the node holds a credential that verifies against those
 * keys and names this node and key, withdrawn when it expires unrenewed. {@link #update()} runs
 * after each refresh. Thread-safe (synchronized).
 */
final class JoinedNodeServices {

    private static final Logger LOG = LoggerFactory.getLogger(JoinedNodeServices.class);

    private final BundleContext context;
    private final NodeAgent agent;
    private final ServiceRegistration<SliceDirectory> slices;
    // Guarded by this.
    private ServiceRegistration<AuthorityKeys> keys;
    private ServiceRegistration<NodeSigner> signer;
    private boolean closed;

    JoinedNodeServices(BundleContext context, NodeAgent agent, Duration lookupTimeout, Duration lookupInterval) {
        this.context = context;
        this.agent = agent;
        this.slices = context.registerService(SliceDirectory.class,
                new CachedSliceDirectory(agent, lookupTimeout, lookupInterval), null);
        update();
    }

    /** Registers what the node can now provide, and withdraws the signer when its credential lapsed. */
    synchronized void update() {
        if (closed) {
            return;
        }
        if (keys == null && agent.issuer().isPresent()) {
            keys = context.registerService(AuthorityKeys.class, authorityKeys(agent), null);
        }
        boolean valid = agent.validCredential().isPresent();
        if (valid && signer == null) {
            signer = context.registerService(NodeSigner.class, signer(agent), null);
            LOG.info("Node {} signs with its registered key (NodeSigner)", agent.hostname());
        } else if (!valid && signer != null) {
            signer.unregister();
            signer = null;
            LOG.warn("Node {} holds no valid credential any more: NodeSigner withdrawn", agent.hostname());
        }
    }

    synchronized void close() {
        closed = true;
        for (ServiceRegistration<?> registration : new ServiceRegistration<?>[] {signer, keys, slices}) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            }
        }
        signer = null;
        keys = null;
    }

    static AuthorityKeys authorityKeys(NodeAgent agent) {
        return new PublishedAuthorityKeys(() -> agent.issuer().orElse(""), agent.cachedKeys());
    }

    static NodeSigner signer(NodeAgent agent) {
        Optional<URI> authority;
        try {
            authority = Optional.of(URI.create(agent.authorityUrl()));
        } catch (IllegalArgumentException e) {
            authority = Optional.empty();
        }
        return new KeyNodeSigner(agent.hostname(), agent.key(), agent::currentCredential, authority);
    }
}
