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
 * @param pids            the processes in it ({@code cgroup.procs})
 */
public record CgroupSample(long cpuNanos, long memoryBytes, Long memoryPeakBytes, long oomKills, long forkRefusals,
                           int tasks, long[] pids) {

    public boolean hasProcesses() {
        return pids.length > 0;
    }

    public boolean contains(long pid) {
        for (long p : pids) {
            if (p == pid) {
                return true;
            }
        }
        return false;
    }
}
