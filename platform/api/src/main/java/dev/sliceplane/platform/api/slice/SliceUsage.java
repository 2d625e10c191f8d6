package dev.sliceplane.platform.api.slice;

/**
 * Cumulative accounting of one management slice, as sampled at one instant.
 *
 * @param cpuNanos          CPU time of the slice's own threads plus the HTTP requests it served
 * @param httpCpuNanos      the part of {@code cpuNanos} spent serving HTTP requests
 * @param allocatedBytes    bytes allocated by the slice's threads (as far as the JVM reports it)
 * @param liveThreads       threads of the slice's executor now alive
 * @param queuedTasks       tasks now waiting
 * @param completedTasks    tasks completed
 * @param rejectedTasks     tasks refused because the queue was full or the slice stopped
 * @param httpRequests      HTTP requests served
 * @param dataBytes         bytes in the slice's data area at the last measurement
 * @param throttledNanos    total time tasks spent waiting because the slice was over its CPU share
 * @param recentCpuShare    CPU used over the last second, in cores
 */
public record SliceUsage(
        long cpuNanos,
        long httpCpuNanos,
        long allocatedBytes,
        int liveThreads,
        int queuedTasks,
        long completedTasks,
        long rejectedTasks,
        long httpRequests,
        long dataBytes,
        long throttledNanos,
        double recentCpuShare) {
}
