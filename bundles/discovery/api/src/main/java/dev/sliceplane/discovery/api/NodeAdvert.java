package dev.sliceplane.discovery.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one node says about itself, as this node last received and verified it.
 *
 * @param hostname      the node's registered host name ({@code sub} of its node credential)
 * @param site          its site
 * @param url           where its HTTP API answers (base URL, without {@code /api/v1})
 * @param roles         its roles ({@code node}, {@code authority})
 * @param version       the Sliceplane version it runs
 * @param location      where it is, free text (for example {@code "40.35,-74.66"} or a city); may be empty
 * @param cores         CPUs
 * @param cpuBusy       fraction of its CPUs busy, from its monitor; null when unknown
 * @param load1         its 1-minute load average; null when unknown
 * @param memTotal      memory in bytes
 * @param memAvailable  memory available in bytes, from its monitor; null when unknown
 * @param diskTotal     bytes of its data filesystem
 * @param diskAvailable bytes still available on it; null when unknown
 * @param slivers       live slivers
 * @param health        its health ({@code UP}, {@code WARN}, {@code DOWN}, {@code STARTING})
 * @param advertisedAt  when the node built this advertisement (its clock)
 * @param receivedAt    when this node received it (our clock)
 * @param liveness      alive or suspected
 */
public record NodeAdvert(String hostname, String site, URI url, List<String> roles, String version, String location,
                         int cores, Double cpuBusy, Double load1, long memTotal, Long memAvailable, long diskTotal,
                         Long diskAvailable, int slivers, String health, Instant advertisedAt, Instant receivedAt,
                         Liveness liveness) {

    public NodeAdvert {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(site, "site");
        roles = List.copyOf(roles);
        location = location == null ? "" : location;
        Objects.requireNonNull(liveness, "liveness");
    }

    /** Cores not busy: {@code cores × (1 − cpuBusy)}; null when the load is unknown. */
    public Double cpuFree() {
        return cpuBusy == null ? null : cores * (1 - cpuBusy);
    }

    /** The same advertisement with another liveness. */
    public NodeAdvert withLiveness(Liveness other) {
        return new NodeAdvert(hostname, site, url, roles, version, location, cores, cpuBusy, load1, memTotal,
                memAvailable, diskTotal, diskAvailable, slivers, health, advertisedAt, receivedAt, other);
    }
}
