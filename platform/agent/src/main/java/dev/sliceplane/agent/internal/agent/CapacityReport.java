package dev.sliceplane.agent.internal.agent;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * A node's capacity report whose signature and claims the agent checked.
 *
 * @param hostname         the node ({@code iss})
 * @param site             its site as the registry has it
 * @param url              its API base URL, where service managers redeem tickets
 * @param capacity         what its policy lets slices hold in all (oversubscription included)
 * @param free             what is free of it now
 * @param oversubscription the factor its owner allows
 * @param redeemed         the ids of the tickets behind its current leases
 * @param released         the ids of tickets redeemed there whose leases have since ended
 * @param health           {@code UP}, {@code WARN}, {@code DOWN} or {@code STARTING}
 * @param issuedAt         {@code iat}
 * @param expiresAt        {@code exp}: after it the report is stale whatever the agent's interval
 */
public record CapacityReport(String hostname, String site, URI url, Resources capacity, Resources free,
        double oversubscription, Set<String> redeemed, Set<String> released, String health, Instant issuedAt,
        Instant expiresAt) {

    public CapacityReport {
        redeemed = Set.copyOf(redeemed);
        released = Set.copyOf(released);
    }
}
