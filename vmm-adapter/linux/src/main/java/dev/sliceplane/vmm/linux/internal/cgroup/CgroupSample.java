package dev.sliceplane.vmm.linux.internal.cgroup;

/**
 * One reading of a sliver's cgroup counters.
 *
 * @param cpuNanos        CPU time used by its processes since the cgroup was made
 * @param memoryBytes     memory charged to it now
 * @param memoryPeakBytes the highest charge since the cgroup was made; {@code null} when the
 *                        kernel does not keep one (cgroup v2 before Linux 5.19)
 * @param oomKills        processes the OOM killer killed in it at its memory limit
 * @param forkRefusals    forks refused at its process limit
 * @param tasks           processes and threads charged to it ({@code pids.current}; a zombie
 *                        counts until it is reaped)
 */
public record CgroupSample(long cpuNanos, long memoryBytes, Long memoryPeakBytes, long oomKills, long forkRefusals,
                           int tasks) {

    /** Whether any task is charged to it, a zombie included; 0 means nothing runs. */
    public boolean hasTasks() {
        return tasks > 0;
    }
}
