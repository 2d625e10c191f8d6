package dev.sliceplane.vmm.linux.internal.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sliceplane.vmm.api.Limits;

/**
 * cgroup v2: a sliver is one cgroup under the Sliceplane root, with cpu, memory and pids
 * enabled from the mount's root down. Limits: {@code cpu.max}, {@code cpu.weight},
 * {@code memory.max} (swap is not limited), {@code pids.max}; kills through {@code cgroup.kill}
 * (Linux 5.14+), else through {@code cgroup.freeze}.
 */
final class V2Driver implements CgroupDriver {

    private static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids");
    private static final long REMOVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long FREEZE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path mount;
    private final Hierarchy hierarchy;
    /** Known after {@link #prepareRoot()}: what this kernel offers. */
    private boolean hasMemoryPeak;
    private boolean hasCgroupKill;

    V2Driver(Path mount, String cgroupRoot) {
        this.mount = mount;
        this.hierarchy = new Hierarchy(mount, cgroupRoot);
    }

    @Override
    public String description() {
        return "cgroup v2 (cpu, memory, pids" + (hasCgroupKill ? "; kills through cgroup.kill" : "; kills through cgroup.freeze")
                + (hasMemoryPeak ? "" : "; no memory.peak: peak sampled") + "), slivers under " + hierarchy;
    }

    @Override
    public void prepareRoot() {
        hierarchy.prepare();
        // Controllers reach a cgroup only through every ancestor's subtree_control.
        Path relative = mount.relativize(hierarchy.root());
        Path dir = mount;
        enableControllers(dir);
        for (Path segment : relative) {
            dir = dir.resolve(segment);
            enableControllers(dir);
        }
        hasMemoryPeak = Files.exists(hierarchy.root().resolve("memory.peak"));
        hasCgroupKill = Files.exists(hierarchy.root().resolve("cgroup.kill"));
    }

    private static void enableControllers(Path dir) {
        Path control = dir.resolve("cgroup.subtree_control");
        String current = CgroupFiles.readIfExists(control);
        Set<String> enabled = new TreeSet<>(List.of((current == null ? "" : current).trim().split("\\s+")));
        List<String> missing = new ArrayList<>();
        for (String controller : CONTROLLERS) {
            if (!enabled.contains(controller)) {
                missing.add("+" + controller);
            }
        }
        if (!missing.isEmpty()) {
            CgroupFiles.write(control, String.join(" ", missing));
        }
    }

    @Override
    public List<String> sliverCgroups() {
        List<String> names = hierarchy.children();
        names.sort(null);
        return names;
    }

    @Override
    public boolean exists(String sliver) {
        return hierarchy.exists(sliver);
    }

    @Override
    public void create(String sliver) {
        hierarchy.create(sliver);
    }

    @Override
    public Limits apply(String sliver, Limits limits, boolean fresh) {
        Double cores = null;
        if (limits.cpuCores() != null) {
            CpuQuota q = CpuQuota.of(limits.cpuCores());
            CgroupFiles.write(hierarchy.file(sliver, "cpu.max"), q.quotaMicros() + " " + q.periodMicros());
            cores = q.cores();
        } else if (!fresh) {
            CgroupFiles.write(hierarchy.file(sliver, "cpu.max"), "max " + CpuQuota.DEFAULT_PERIOD_MICROS);
        }
        if (!fresh || limits.cpuWeight() != null) {
            CgroupFiles.write(hierarchy.file(sliver, "cpu.weight"),
                    Integer.toString(limits.cpuWeight() == null ? 100 : limits.cpuWeight()));
        }
        Path memoryMax = hierarchy.file(sliver, "memory.max");
        if (!fresh || limits.memoryBytes() != null) {
            CgroupFiles.write(memoryMax, limits.memoryBytes() == null ? "max" : Long.toString(limits.memoryBytes()));
        }
        if (!fresh || limits.maxProcesses() != null) {
            CgroupFiles.write(hierarchy.file(sliver, "pids.max"),
                    limits.maxProcesses() == null ? "max" : Integer.toString(limits.maxProcesses()));
        }
        // Read back only what the kernel rounds (memory, to whole pages).
        Long memoryHeld = limits.memoryBytes() == null ? null : Long.valueOf(CgroupFiles.read(memoryMax).trim());
        return new Limits(cores, limits.cpuWeight() == null || limits.cpuWeight() == 100 ? null : limits.cpuWeight(),
                memoryHeld, limits.maxProcesses(), null);
    }

    @Override
    public Limits read(String sliver) {
        String[] cpuMax = CgroupFiles.read(hierarchy.file(sliver, "cpu.max")).trim().split("\\s+");
        Double cores = cpuMax[0].equals("max") ? null
                : new CpuQuota(Long.parseLong(cpuMax[0]), Long.parseLong(cpuMax[1])).cores();
        int weight = (int) CgroupFiles.readLong(hierarchy.file(sliver, "cpu.weight"));
        String memoryMax = CgroupFiles.read(hierarchy.file(sliver, "memory.max")).trim();
        String pidsMax = CgroupFiles.read(hierarchy.file(sliver, "pids.max")).trim();
        return new Limits(cores, weight == 100 ? null : weight, memoryMax.equals("max") ? null : Long.valueOf(memoryMax),
                pidsMax.equals("max") ? null : Integer.valueOf(pidsMax), null);
    }

    @Override
    public List<Path> procsFiles(String sliver) {
        return List.of(hierarchy.procs(sliver));
    }

    @Override
    public long[] processes(String sliver) {
        return hierarchy.processes(sliver);
    }

    @Override
    public SliverCounters counters(String sliver) {
        return new SliverCounters(
                new ControlFile(hierarchy.file(sliver, "cpu.stat"), false), "usage_usec",
                new ControlFile(hierarchy.file(sliver, "memory.current"), false),
                hasMemoryPeak ? new ControlFile(hierarchy.file(sliver, "memory.peak"), false) : null,
                new ControlFile(hierarchy.file(sliver, "memory.events"), false),
                new ControlFile(hierarchy.file(sliver, "pids.events"), false),
                new ControlFile(hierarchy.file(sliver, "pids.current"), false));
    }

    @Override
    public void killAll(String sliver) {
        long[] processes = hierarchy.processes(sliver);
        if (processes.length == 0) {
            return;
        }
        if (hasCgroupKill) {
            CgroupFiles.write(hierarchy.file(sliver, "cgroup.kill"), "1");
            return;
        }
        Path freeze = hierarchy.file(sliver, "cgroup.freeze");
        CgroupFiles.write(freeze, "1");
        try {
            awaitFrozen(hierarchy.file(sliver, "cgroup.events"));
            for (long pid : hierarchy.processes(sliver)) {
                Signals.kill(pid);
            }
        } finally {
            CgroupFiles.write(freeze, "0");
        }
    }

    private static void awaitFrozen(Path events) {
        long deadline = System.nanoTime() + FREEZE_TIMEOUT_NANOS;
        long pause = TimeUnit.MICROSECONDS.toNanos(20);
        while (CgroupFiles.readKeyed(events, "frozen") != 1 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Override
    public void remove(String sliver) {
        hierarchy.remove(sliver, REMOVE_TIMEOUT_NANOS);
    }
}
