package dev.sliceplane.platform.api.slice;

/**
 * The limits of one management slice.
 *
 * @param cpuShare       CPU share in cores; the slice's tasks wait while it is over this share
 * @param maxThreads     most threads its executor runs at once
 * @param maxQueuedTasks most tasks waiting; more are rejected
 * @param dataQuotaBytes quota of its data area; exceeding it is a violation
 */
public record SliceLimits(double cpuShare, int maxThreads, int maxQueuedTasks, long dataQuotaBytes) {

    public SliceLimits {
        if (!(cpuShare > 0 && cpuShare <= 1024)) {
            throw new IllegalArgumentException("cpu share must be in (0, 1024] cores, was " + cpuShare);
        }
        if (maxThreads < 1 || maxThreads > 1024) {
            throw new IllegalArgumentException("threads must be in [1, 1024], was " + maxThreads);
        }
        if (maxQueuedTasks < 0 || maxQueuedTasks > 1_000_000) {
            throw new IllegalArgumentException("queue must be in [0, 1000000], was " + maxQueuedTasks);
        }
        if (dataQuotaBytes < 0) {
            throw new IllegalArgumentException("data quota must not be negative, was " + dataQuotaBytes);
        }
    }
}
