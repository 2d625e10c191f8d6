/**
 * The monitor: what a node knows of itself, its slivers and its management slices, as the latest
 * figures and their history, in the spirit of PlanetLab's CoMon and slicestat.
 *
 * <p>The default implementation builds every figure from the VMM's status hooks (one consistent
 * sample of the node and all its slivers) and the platform's bundle-slice accounting, read at the
 * same moments: it does no sampling of its own. Rates (CPU in cores, network in bytes per second)
 * are computed between consecutive samples. History is kept in memory at two
 * {@link Resolution}s, each point the minimum, average and maximum of the samples that fell in
 * it. Consumers: the query API and {@code /metrics} of the monitor itself, the resource monitor's
 * report to the agent, and discovery (a node's advertised capabilities).
 */
@Export
@Version("1.0.0")
package dev.sliceplane.monitor.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
