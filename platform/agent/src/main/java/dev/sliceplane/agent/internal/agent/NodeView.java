package dev.sliceplane.agent.internal.agent;

import java.net.URI;
import java.time.Instant;

import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * A node as the agent advertises it ({@code GET /api/v1/agent/nodes}) and the broker chooses
 * among: what its last report said, what the agent has promised of it since, and what is left.
 *
 * @param advertised  the report's {@code free}
 * @param outstanding what unexpired, unrevoked, unredeemed tickets promise on it
 * @param available   {@code advertised − outstanding}, never below zero
 * @param stale       whether its last report is older than three report intervals (or past its {@code exp})
 * @param cpuBusy     the node's monitor's measured fraction of CPUs busy, {@code null} when its report had none
 * @param load1       its measured 1-minute load average, or {@code null}
 * @param memAvailable its measured available memory in bytes, or {@code null}
 */
public record NodeView(String hostname, String site, URI url, String health, Resources capacity,
        Resources advertised, Resources outstanding, Resources available, Instant reportedAt, boolean stale,
        Double cpuBusy, Double load1, Long memAvailable) {
}
