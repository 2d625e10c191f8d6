package dev.sliceplane.platform.api.acquisition;

import java.util.Objects;
import java.util.Set;

/**
 * What a node manager can give slices now, for its resource monitor's report to the agent.
 *
 * @param capacity         what the owner's policy lets slices hold in all: the node's capacity less
 *                         the share reserved for management slices, times the allowed oversubscription
 * @param free             {@code capacity} less what the current leases hold
 * @param redeemedTickets  the ids ({@code jti}) of the tickets behind the current leases, so the
 *                         agent stops counting them as outstanding
 * @param oversubscription the factor the owner allows (1.0: none)
 */
public record NodeOffer(Resources capacity, Resources free, Set<String> redeemedTickets, double oversubscription) {

    public NodeOffer {
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(free, "free");
        redeemedTickets = Set.copyOf(redeemedTickets);
    }
}
