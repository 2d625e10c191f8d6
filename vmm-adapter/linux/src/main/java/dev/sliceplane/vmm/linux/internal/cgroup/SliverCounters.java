package dev.sliceplane.vmm.linux.internal.cgroup;

import java.util.List;

/**
 * The counters of one sliver's cgroups, read on every sample through files kept open
 * ({@link ControlFile}). Made on the first sample, closed when the sliver is destroyed or the
 * backend closes. Not thread-safe: the backend samples from one thread at a time.
 *
 * <p>A sample does not list {@code cgroup.procs}: that file cannot be kept open (see
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
    private final ControlFile tasks;

    SliverCounters(ControlFile cpu, String cpuMicrosKey, ControlFile memory, ControlFile memoryPeak,
                   ControlFile memoryEvents, ControlFile pidsEvents, ControlFile tasks) {
        this.cpu = cpu;
        this.cpuMicrosKey = cpuMicrosKey == null ? null : ControlFile.key(cpuMicrosKey);
        this.memory = memory;
        this.memoryPeak = memoryPeak;
        this.memoryEvents = memoryEvents;
        this.pidsEvents = pidsEvents;
        this.tasks = tasks;
    }

    public CgroupSample sample() {
        return new CgroupSample(
                cpuMicrosKey == null ? cpu.number() : cpu.keyed(cpuMicrosKey) * 1000,
                memory.number(),
                memoryPeak == null ? null : memoryPeak.number(),
                memoryEvents.keyed(OOM_KILL),
                pidsEvents.keyed(MAX),
                (int) tasks.number());
    }

    @Override
    public void close() {
        for (ControlFile file : List.of(cpu, memory, memoryEvents, pidsEvents, tasks)) {
            file.close();
        }
        if (memoryPeak != null) {
            memoryPeak.close();
        }
    }
}
