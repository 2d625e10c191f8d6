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
 * @param measured         what the node's monitor measured, when the report says
 */
public record CapacityReport(String hostname, String site, URI url, Resources capacity, Resources free,
        double oversubscription, Set<String> redeemed, Set<String> released, String health, Instant issuedAt,
        Instant expiresAt, Measured measured) {

    /**
     * The optional measured figures of a report; each {@code null} when the report does not carry it.
     *
     * @param cpuBusy      {@code cpu_busy}: fraction of all CPUs busy, in [0, 1]
     * @param load1        {@code load1}: the 1-minute load average
     * @param memAvailable {@code mem_available}: bytes of memory available
     */
    public record Measured(Double cpuBusy, Double load1, Long memAvailable) {
        public static final Measured NONE = new Measured(null, null, null);
    }

    public CapacityReport {
        redeemed = Set.copyOf(redeemed);
        released = Set.copyOf(released);
    }
}
