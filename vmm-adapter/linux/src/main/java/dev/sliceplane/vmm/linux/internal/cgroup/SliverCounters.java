package dev.sliceplane.vmm.linux.internal.cgroup;

import java.util.List;

/**
 * The counters of one sliver's cgroups, read on every sample through files kept open
 * ({@link ControlFile}). Made on the first sample, closed when the sliver is destroyed or the
 * backend closes. Not thread-safe: the backend samples from one thread at a time.
 */
public final class SliverCounters implements AutoCloseable {

    private final ControlFile procs;
    private final ControlFile cpu;
    /** {@code null}: the CPU file is one number of nanoseconds (v1); else the key of microseconds (v2). */
    private final String cpuMicrosKey;
    private final ControlFile memory;
    /** {@code null} when the kernel keeps no peak. */
    private final ControlFile memoryPeak;
    private final ControlFile memoryEvents;
    private final ControlFile pidsEvents;
    private final ControlFile tasks;

    SliverCounters(ControlFile procs, ControlFile cpu, String cpuMicrosKey, ControlFile memory, ControlFile memoryPeak,
                   ControlFile memoryEvents, ControlFile pidsEvents, ControlFile tasks) {
        this.procs = procs;
        this.cpu = cpu;
        this.cpuMicrosKey = cpuMicrosKey;
        this.memory = memory;
        this.memoryPeak = memoryPeak;
        this.memoryEvents = memoryEvents;
        this.pidsEvents = pidsEvents;
        this.tasks = tasks;
    }

    public CgroupSample sample() {
        // cgroup.procs first: the backend relies on a process missing here having finished
        // whatever it wrote before it exited.
        long[] pids = CgroupFiles.parsePids(procs.read());
        String cpuText = cpu.read();
        long cpuNanos = cpuMicrosKey == null ? number(cpuText, cpu) : CgroupFiles.keyed(cpuText, cpuMicrosKey, cpu.path()) * 1000;
        String forks = pidsEvents.read();
        return new CgroupSample(
                cpuNanos,
                number(memory.read(), memory),
                memoryPeak == null ? null : number(memoryPeak.read(), memoryPeak),
                CgroupFiles.keyed(memoryEvents.read(), "oom_kill", memoryEvents.path()),
                forks == null ? 0 : CgroupFiles.keyed(forks, "max", pidsEvents.path()),
                (int) number(tasks.read(), tasks),
                pids);
    }

    private static long number(String text, ControlFile file) {
        return CgroupFiles.parseLong(text.trim(), file.path());
    }

    @Override
    public void close() {
        for (ControlFile file : List.of(procs, cpu, memory, memoryEvents, pidsEvents, tasks)) {
            file.close();
        }
        if (memoryPeak != null) {
            memoryPeak.close();
        }
    }
}
