package dev.sliceplane.discovery.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This node's view of the overlay. Every method answers from memory. Thread-safe.
 *
 * <p>A swappable sub-service ({@code discovery}): reference it dynamically and greedily.
 */
@ProviderType
public interface Discovery {

    /** The implementation's short name, such as {@code jgroups} or {@code registry}. */
    String mechanism();

    /** Every node in the view (this one included), alive or suspected, ordered by host name. */
    List<NodeAdvert> nodes();

    /** The node named {@code hostname}, if it is in the view. */
    Optional<NodeAdvert> node(String hostname);

    /** This node's own advertisement as it is sent now; empty before it could be built. */
    Optional<NodeAdvert> self();

    /**
     * What this node's discovery has received, rejected and sent so far; empty when the
     * implementation keeps no counts.
     *
     * @since 1.1
     */
    default Optional<DiscoveryCounters> counters() {
        return Optional.empty();
    }
}
