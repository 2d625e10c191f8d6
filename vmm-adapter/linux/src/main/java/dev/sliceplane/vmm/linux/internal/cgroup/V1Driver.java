package dev.sliceplane.vmm.linux.internal.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sliceplane.vmm.api.Limits;

/**
 * cgroup v1: a sliver is a cgroup of the same name in the cpu, cpuacct, memory and pids
 * hierarchies (and freezer, used to kill). Limits: {@code cpu.cfs_quota_us}/{@code cfs_period_us},
 * {@code cpu.shares}, {@code memory.limit_in_bytes} (RAM only: swap is not limited), {@code pids.max}.
 */
final class V1Driver implements CgroupDriver {

    /** What v1 reports as "no memory limit": the page counter's maximum, in bytes. */
    private static final long NO_MEMORY_LIMIT_ABOVE = 1L << 62;
    private static final long REMOVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long FREEZE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Hierarchy cpu;
    private final Hierarchy cpuacct;
    private final Hierarchy memory;
    private final Hierarchy pids;
    /** {@code null} when the freezer hierarchy is not mounted; kills then take repeated passes. */
    private final Hierarchy freezer;
    /** Each mounted hierarchy once (cpu and cpuacct are often one mount). */
    private final List<Hierarchy> distinct;
    private final String cgroupRoot;

    V1Driver(Map<String, Path> controllers, String cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
        Map<Path, Hierarchy> byMount = new LinkedHashMap<>();
        this.cpu = hierarchy(byMount, controllers.get("cpu"));
        this.cpuacct = hierarchy(byMount, controllers.get("cpuacct"));
        this.memory = hierarchy(byMount, controllers.get("memory"));
        this.pids = hierarchy(byMount, controllers.get("pids"));
        this.freezer = controllers.containsKey("freezer") ? hierarchy(byMount, controllers.get("freezer")) : null;
        this.distinct = List.copyOf(byMount.values());
    }

    private Hierarchy hierarchy(Map<Path, Hierarchy> byMount, Path mount) {
        return byMount.computeIfAbsent(mount, m -> new Hierarchy(m, cgroupRoot));
    }

    @Override
    public String description() {
        return "cgroup v1 (cpu, cpuacct, memory, pids" + (freezer == null ? "; no freezer: kills take repeated passes"
                : "; kills through the freezer") + "), slivers under " + distinct;
    }

    @Override
    public void prepareRoot() {
        distinct.forEach(Hierarchy::prepare);
    }

    @Override
    public List<String> sliverCgroups() {
        TreeSet<String> names = new TreeSet<>();
        distinct.forEach(h -> names.addAll(h.children()));
        return new ArrayList<>(names);
    }

    @Override
    public boolean exists(String sliver) {
        for (Hierarchy h : distinct) {
            if (!h.exists(sliver)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void create(String sliver) {
        List<Hierarchy> made = new ArrayList<>();
        try {
            for (Hierarchy h : distinct) {
                h.create(sliver);
                made.add(h);
            }
        } catch (RuntimeException e) {
            for (Hierarchy h : made) {
                try {
                    h.remove(sliver, REMOVE_TIMEOUT_NANOS);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    @Override
    public Limits apply(String sliver, Limits limits, boolean fresh) {
        Path quota = cpu.file(sliver, "cpu.cfs_quota_us");
        Double cores = null;
        if (limits.cpuCores() != null) {
            CpuQuota q = CpuQuota.of(limits.cpuCores());
            if (!fresh) {
                CgroupFiles.write(quota, "-1"); // a new period may not fit the old quota
            }
            if (!fresh || q.periodMicros() != CpuQuota.DEFAULT_PERIOD_MICROS) {
                CgroupFiles.write(cpu.file(sliver, "cpu.cfs_period_us"), Long.toString(q.periodMicros()));
            }
            CgroupFiles.write(quota, Long.toString(q.quotaMicros()));
            cores = q.cores();
        } else if (!fresh) {
            CgroupFiles.write(quota, "-1");
        }
        if (!fresh || limits.cpuWeight() != null) {
            int weight = limits.cpuWeight() == null ? 100 : limits.cpuWeight();
            CgroupFiles.write(cpu.file(sliver, "cpu.shares"), Long.toString(CpuQuota.sharesOf(weight)));
        }
        Path memoryLimit = memory.file(sliver, "memory.limit_in_bytes");
        if (!fresh || limits.memoryBytes() != null) {
            CgroupFiles.write(memoryLimit, limits.memoryBytes() == null ? "-1" : Long.toString(limits.memoryBytes()));
        }
        if (!fresh || limits.maxProcesses() != null) {
            CgroupFiles.write(pids.file(sliver, "pids.max"),
                    limits.maxProcesses() == null ? "max" : Integer.toString(limits.maxProcesses()));
        }
        // Read back only what the kernel rounds (memory, to whole pages).
        Long memoryHeld = limits.memoryBytes() == null ? null : CgroupFiles.readLong(memoryLimit);
        return new Limits(cores, limits.cpuWeight() == null || limits.cpuWeight() == 100 ? null : limits.cpuWeight(),
                memoryHeld, limits.maxProcesses(), null);
    }

    @Override
    public Limits read(String sliver) {
        long quota = CgroupFiles.readLong(cpu.file(sliver, "cpu.cfs_quota_us"));
        Double cores = null;
        if (quota > 0) {
            cores = new CpuQuota(quota, CgroupFiles.readLong(cpu.file(sliver, "cpu.cfs_period_us"))).cores();
        }
        int weight = CpuQuota.weightOf(CgroupFiles.readLong(cpu.file(sliver, "cpu.shares")));
        long memoryLimit = CgroupFiles.readLong(memory.file(sliver, "memory.limit_in_bytes"));
        String pidsMax = CgroupFiles.read(pids.file(sliver, "pids.max")).trim();
        return new Limits(cores, weight == 100 ? null : weight, memoryLimit >= NO_MEMORY_LIMIT_ABOVE ? null : memoryLimit,
                pidsMax.equals("max") ? null : Integer.valueOf(pidsMax), null);
    }

    @Override
    public List<Path> procsFiles(String sliver) {
        return distinct.stream().map(h -> h.procs(sliver)).toList();
    }

    @Override
    public long[] processes(String sliver) {
        return pids.processes(sliver);
    }

    @Override
    public SliverCounters counters(String sliver) {
        return new SliverCounters(
                new ControlFile(cpuacct.file(sliver, "cpuacct.usage"), false), null,
                new ControlFile(memory.file(sliver, "memory.usage_in_bytes"), false),
                new ControlFile(memory.file(sliver, "memory.max_usage_in_bytes"), false),
                new ControlFile(memory.file(sliver, "memory.oom_control"), false),
                new ControlFile(pids.file(sliver, "pids.events"), true),
                new ControlFile(pids.file(sliver, "pids.current"), false));
    }

    @Override
    public void killAll(String sliver) {
        if (freezer == null) {
            for (long pid : pids.processes(sliver)) {
                Signals.kill(pid);
            }
            return;
        }
        // Frozen, nothing in the cgroup can fork, so one pass reaches every process; the
        // kills take effect when it thaws.
        Path state = freezer.file(sliver, "freezer.state");
        CgroupFiles.write(state, "FROZEN");
        try {
            awaitFrozen(state);
            for (long pid : freezer.processes(sliver)) {
                Signals.kill(pid);
            }
        } finally {
            CgroupFiles.write(state, "THAWED");
        }
    }

    /** Waits until the freezer has stopped every task; proceeds anyway after a second (a task in D state). */
    private static void awaitFrozen(Path state) {
        long deadline = System.nanoTime() + FREEZE_TIMEOUT_NANOS;
        long pause = TimeUnit.MICROSECONDS.toNanos(20);
        while (!CgroupFiles.read(state).trim().equals("FROZEN") && System.nanoTime() < deadline) {
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Override
    public void remove(String sliver) {
        RuntimeException failure = null;
        for (Hierarchy h : distinct) {
            try {
                h.remove(sliver, REMOVE_TIMEOUT_NANOS);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
