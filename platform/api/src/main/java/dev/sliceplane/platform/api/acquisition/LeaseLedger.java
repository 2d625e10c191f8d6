package dev.sliceplane.platform.api.acquisition;

import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node manager's account of what it has granted, for the resource monitor: what it can offer
 * and which tickets the agent revoked. Provided by the node manager on every node. Thread-safe.
 */
@ProviderType
public interface LeaseLedger {

    /**
     * What this node can give slices now, and which tickets its current and recently ended leases
     * came from. The ended ones must survive a restart of the node manager until their tickets expire.
     */
    NodeOffer offer();

    /**
     * The agent revoked ticket {@code ticketId}, valid until {@code expires}: the node refuses to
     * redeem it from now on (a lease already granted from it stays).
     */
    void revoked(String ticketId, Instant expires);

    /**
     * When each current lease ends unless renewed, by sliver name (a sliver is named after its
     * slice), for the monitor's per-sliver figures.
     *
     * @since 1.1
     */
    default Map<String, Instant> leaseEnds() {
        return Map.of();
    }
}
