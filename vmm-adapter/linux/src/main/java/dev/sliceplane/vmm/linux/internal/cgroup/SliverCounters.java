package dev.sliceplane.vmm.linux.internal.cgroup;

import java.util.List;

/**
 * The counters of one sliver's cgroups, read through files kept open ({@link ControlFile}) and
 * remembered until read again. Made on the first sample, closed when the sliver is destroyed or the
 * backend closes. Not thread-safe: the backend samples from one thread at a time.
 *
 * <p>CPU time and tasks are read together on every pass; the memory usage with its peak, and the
 * two event counters (OOM kills, refused forks), each on their own, when the backend's schedule
 * asks, because every file costs a system call of 1–3 µs and these move only while the sliver
 * runs, or rarely.
 *
 * <p>Nothing here lists {@code cgroup.procs}: that file cannot be kept open (see
 * {@link ControlFile}), and opening it cost more than all the counters together. Whether
 * anything runs is told by {@code pids.current} and the programs' supervisors (see the backend).
 */
public final class SliverCounters implements AutoCloseable {

    private static final byte[] OOM_KILL = ControlFile.key("oom_kill");
    private static final byte[] MAX = ControlFile.key("max");

    private final ControlFile cpu;
    /** {@code null}: the CPU file is one number of nanoseconds (v1); else the key of microseconds (v2). */
    private final byte[] cpuMicrosKey;
    private final ControlFile memory;
    /** {@code null} when the kernel keeps no peak. */
    private final ControlFile memoryPeak;
    private final ControlFile memoryEvents;
    private final ControlFile pidsEvents;
    private final ControlFile tasksFile;

    private long cpuNanos;
    private long memoryBytes;
    private long memoryPeakBytes;
    private int tasks;
    private long oomKills;
    private long forkRefusals;

    SliverCounters(ControlFile cpu, String cpuMicrosKey, ControlFile memory, ControlFile memoryPeak,
                   ControlFile memoryEvents, ControlFile pidsEvents, ControlFile tasks) {
        this.cpu = cpu;
        this.cpuMicrosKey = cpuMicrosKey == null ? null : ControlFile.key(cpuMicrosKey);
        this.memory = memory;
        this.memoryPeak = memoryPeak;
        this.memoryEvents = memoryEvents;
        this.pidsEvents = pidsEvents;
        this.tasksFile = tasks;
    }

    /** Reads the CPU time and the tasks: one file each. */
    public void readCpuAndTasks() {
        cpuNanos = cpuMicrosKey == null ? cpu.number() : cpu.keyed(cpuMicrosKey) * 1000;
        tasks = (int) tasksFile.number();
    }

    /** Reads the memory usage and, where the kernel keeps one ({@link #hasMemoryPeak()}), the peak. */
    public void readMemory() {
        memoryBytes = memory.number();
        if (memoryPeak != null) {
            memoryPeakBytes = memoryPeak.number();
        }
    }

    /** Reads the OOM kill count ({@code oom_kill} in {@code memory.oom_control} or {@code memory.events}). */
    public long readOomKills() {
        oomKills = memoryEvents.keyed(OOM_KILL);
        return oomKills;
    }

    /** Reads the count of forks refused at a process limit ({@code max} in {@code pids.events}). */
    public long readForkRefusals() {
        forkRefusals = pidsEvents.keyed(MAX);
        return forkRefusals;
    }

    /** CPU time used by its processes since the cgroup was made, as last read. */
    public long cpuNanos() {
        return cpuNanos;
    }

    /** Memory charged to it, as last read by {@link #readMemory()}; 0 before. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** Whether the kernel keeps a memory peak (not cgroup v2 before Linux 5.19). */
    public boolean hasMemoryPeak() {
        return memoryPeak != null;
    }

    /** The highest charge since the cgroup was made, as last read by {@link #readMemory()}; 0 before. */
    public long memoryPeakBytes() {
        return memoryPeakBytes;
    }

    /** Processes and threads charged to it ({@code pids.current}; a zombie counts until reaped), as last read. */
    public int tasks() {
        return tasks;
    }

    /** Processes the OOM killer killed in it, as last read by {@link #readOomKills()}; 0 before. */
    public long oomKills() {
        return oomKills;
    }

    /** Forks refused at a process limit, as last read by {@link #readForkRefusals()}; 0 before. */
    public long forkRefusals() {
        return forkRefusals;
    }

    @Override
    public void close() {
        for (ControlFile file : List.of(cpu, memory, memoryEvents, pidsEvents, tasksFile)) {
            file.close();
        }
        if (memoryPeak != null) {
            memoryPeak.close();
        }
    }
}
