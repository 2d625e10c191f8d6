package dev.sliceplane.vmm.process.internal;

import java.util.Map;
import java.util.Set;

/**
 * A sliver's meter state ({@code usage.json}), saved now and then and on close, so CPU time
 * stays monotonic and nothing is counted twice across a restart.
 *
 * @param bootId          the boot it was taken in; after a reboot the sightings mean nothing
 * @param cpuSeconds      CPU seconds used since creation (as reported)
 * @param cpuDeficitSeconds how far the meter's running total was below that (a sighting's dip
 *                        still to be made good; 0 in files written before it was kept)
 * @param peakMemoryBytes the highest resident total seen
 * @param seen            last sighting of each process: {@code pid@start -> [ppid, own ticks, child ticks]}
 * @param settled         programs whose supervisor's final times were counted
 */
record UsageState(String bootId, double cpuSeconds, double cpuDeficitSeconds, long peakMemoryBytes, Map<String, long[]> seen,
                  Set<String> settled) {
}
