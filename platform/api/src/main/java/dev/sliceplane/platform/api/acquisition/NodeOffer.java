package dev.sliceplane.platform.api.acquisition;

import java.util.Objects;
import java.util.Set;

/**
 * What a node manager can give slices now, for its resource monitor's report to the agent.
 *
 * <p>The agent counts a ticket it issued against the node until the node names it in
 * {@code redeemedTickets} or {@code releasedTickets} (or the ticket expires). Both are needed: a
 * lease redeemed and ended between two reports is never seen among the current leases, and
 * without {@code releasedTickets} its ticket would hold capacity at the agent until its window ends.
 *
 * @param capacity         what the owner's policy lets slices hold in all: the node's capacity less
 *                         the share reserved for management slices, times the allowed oversubscription
 * @param free             {@code capacity} less what the current leases hold
 * @param redeemedTickets  the ids ({@code jti}) of the tickets behind the current leases, so the
 *                         agent stops counting them as outstanding (their leases still count as
 *                         the slices' slivers)
 * @param releasedTickets  the ids of tickets redeemed at this node whose leases have since ended
 *                         (released, reclaimed, or dropped because their sliver was gone), each
 *                         listed until its own window ({@code exp}) ends: they hold neither capacity
 *                         nor a sliver; disjoint from {@code redeemedTickets}
 * @param oversubscription the factor the owner allows (1.0: none)
 */
public record NodeOffer(Resources capacity, Resources free, Set<String> redeemedTickets, Set<String> releasedTickets,
        double oversubscription) {

    public NodeOffer {
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(free, "free");
        redeemedTickets = Set.copyOf(redeemedTickets);
        releasedTickets = Set.copyOf(releasedTickets);
    }
}
