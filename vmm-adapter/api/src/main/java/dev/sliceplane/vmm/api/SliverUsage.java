package dev.sliceplane.vmm.api;

/**
 * One sample of a sliver's usage. A {@code null} figure is one the backend cannot measure.
 *
 * @param name              the sliver
 * @param state             whether anything runs in it
 * @param cpuSeconds        CPU time used since creation (user and system), monotonic
 * @param memoryBytes       memory in use now
 * @param memoryPeakBytes   highest memory in use since creation (or since the backend attached)
 * @param processes         processes and threads in it now
 * @param diskBytes         bytes stored under its home
 * @param networkRxBytes    bytes received, where the backend can attribute traffic
 * @param networkTxBytes    bytes sent, where the backend can attribute traffic
 * @param oomKills          processes killed for exceeding the memory limit since creation
 */
public record SliverUsage(String name, SliverState state, double cpuSeconds, Long memoryBytes, Long memoryPeakBytes,
                          int processes, Long diskBytes, Long networkRxBytes, Long networkTxBytes, long oomKills) {
}
