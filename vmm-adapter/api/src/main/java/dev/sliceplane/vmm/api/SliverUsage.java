package dev.sliceplane.vmm.api;

/**
 * One sample of a sliver's usage. A {@code null} figure is one the backend cannot measure.
 *
 * <p><b>How fresh each figure is.</b> The levels ({@code cpuSeconds}, {@code memoryBytes},
 * {@code memoryPeakBytes}, {@code processes}, {@code state}) are read on every sample. A backend may
 * read the kernel's event counters behind {@code oomKills} (and {@link VmmEvent.Kind#LIMIT_EXCEEDED})
 * less often, when nothing suggests they moved; {@code oomKills} then counts the kills reported so
 * far, and a later sample raises it together with the event. The {@code linux} backend reports a
 * kill at the sliver's own memory limit in the first sample after it, a kill that ends a program or
 * lowers the process count (a node out of memory) likewise, and any other within its
 * {@code eventReadPasses} samples (default 10); see its README. {@code diskBytes} may be older still
 * (a backend walks a home at most every {@code diskScanSeconds}).
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
 * @param oomKills          processes the kernel's OOM killer killed in it since creation, as far as
 *                          reported yet (see above); equal to the kills announced by
 *                          {@link VmmEvent.Kind#LIMIT_EXCEEDED} events with limit {@link Limit#MEMORY}
 */
public record SliverUsage(String name, SliverState state, double cpuSeconds, Long memoryBytes, Long memoryPeakBytes,
                          int processes, Long diskBytes, Long networkRxBytes, Long networkTxBytes, long oomKills) {
}
