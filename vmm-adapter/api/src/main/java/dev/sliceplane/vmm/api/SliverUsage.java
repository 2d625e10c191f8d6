package dev.sliceplane.vmm.api;

/**
 * One sample of a sliver's usage. A {@code null} figure is one the backend cannot measure.
 *
 * <p><b>How fresh each figure is.</b> {@code cpuSeconds}, {@code processes} and {@code state} are
 * read on every sample. A backend may read the kernel's other figures less often, when the figures
 * it does read show they cannot have moved, and says how late they may be:
 * {@code memoryBytes} may then be the usage as last read; {@code memoryPeakBytes} is the peak as
 * last read, raised by every {@code memoryBytes} since; {@code oomKills} counts the kills reported
 * so far, and a later sample raises it together with the {@link VmmEvent.Kind#LIMIT_EXCEEDED}
 * event. The {@code linux} backend reads all of them at least every {@code eventReadPasses}
 * samples (default 10), and memory usage and peak also on every sample in which the sliver used
 * CPU time: a charge needs one of its tasks to run, so a sliver that runs has both read on every
 * sample. An idle sliver's {@code memoryBytes} may lag by up to {@code eventReadPasses} samples,
 * in practice too high rather than too low: the kernel may reclaim its page cache, or free what
 * another process deleted, without it running (the rare charges the kernel makes for it from
 * elsewhere wait likewise). Its limit is the kernel's to hold and is never late. The backend
 * reports an OOM kill at the sliver's own memory limit, or one that ended a program or lowered the
 * process count (a node out of memory), in the first sample after it; see its README.
 * {@code diskBytes} may be older still (a backend walks a home at most every
 * {@code diskScanSeconds}).
 *
 * @param name              the sliver
 * @param state             whether anything runs in it
 * @param cpuSeconds        CPU time used since creation (user and system), monotonic
 * @param memoryBytes       memory in use now, or as last read (see above)
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
