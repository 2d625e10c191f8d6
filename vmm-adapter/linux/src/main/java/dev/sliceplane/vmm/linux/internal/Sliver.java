package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDriver;
import dev.sliceplane.vmm.linux.internal.cgroup.SliverCounters;

/**
 * A sliver the backend is attached to: its record as last written, its cgroup counters (open
 * from the first sample on) and when to read their event counters, a liveness probe on each
 * running program's supervisor, the cached size of its home, and the memory peak it reports.
 * Guarded by the backend.
 */
final class Sliver {

    SliverRecord record;
    final Path home;
    final DiskUsage disk;
    private final int eventReadPasses;
    private final int stagger;
    private SliverCounters counters;
    /** Made with the counters, so counters opened again start with a read of both event counters. */
    private EventCounterSchedule schedule;
    /** Whether the last sample failed, so the failure is logged once, not every second. */
    boolean sampleFailing;
    /** Whether a supervisor was alive at the last look for ended programs. */
    boolean supervised;
    private long peakSeen;
    /** The record's memory and process limits, for the schedule on every pass; negative: none. */
    private long memoryLimit;
    private int processLimit;
    /** Supervisors this backend started (the JVM's children), by program id, until reported ended. */
    private final Map<String, Process> children = new HashMap<>();
    /** Probes on the other supervisors (adopted at a restart) of programs not yet reported ended, by program id. */
    private final Map<String, LivenessProbe> supervisors = new HashMap<>();
    /** Programs whose supervisor could not get a probe (no file descriptor to spare): looked up in cgroup.procs. */
    private final Set<String> unprobed = new HashSet<>();

    /**
     * @param eventReadPasses the most passes between two reads of each event counter
     * @param stagger         spreads the periodic reads of slivers over the passes (see {@link EventCounterSchedule})
     */
    Sliver(SliverRecord record, Path home, long diskScanNanos, int eventReadPasses, int stagger) {
        this.record = record;
        this.home = home;
        this.disk = new DiskUsage(diskScanNanos);
        this.eventReadPasses = eventReadPasses;
        this.stagger = stagger;
        noteLimits();
    }

    /**
     * Takes the record with the limits the kernel now holds; the next pass reads every counter,
     * since a lowered memory limit makes the kernel reclaim at once, without the sliver running.
     */
    void resized(SliverRecord resized) {
        record = resized;
        noteLimits();
        if (schedule != null) {
            schedule.readAllNextPass();
        }
    }

    /** Copies the limits out of the record, so a pass reads two fields here instead of a chain of boxes. */
    private void noteLimits() {
        Long memory = record.limits().memoryBytes();
        Integer processes = record.limits().maxProcesses();
        memoryLimit = memory == null ? -1 : memory;
        processLimit = processes == null ? -1 : processes;
    }

    /** The memory limit the kernel holds; negative: none. */
    long memoryLimit() {
        return memoryLimit;
    }

    /** The process limit the kernel holds; negative: none. */
    int processLimit() {
        return processLimit;
    }

    String name() {
        return record.name();
    }

    /** The counters, opened on the first call. */
    SliverCounters counters(CgroupDriver driver) {
        if (counters == null) {
            counters = driver.counters(name());
            schedule = new EventCounterSchedule(eventReadPasses, stagger);
        }
        return counters;
    }

    /** The counters if they are open; {@code null} before the first sample. */
    SliverCounters openCounters() {
        return counters;
    }

    /** When the open counters' event counters are read. */
    EventCounterSchedule schedule() {
        return schedule;
    }

    /**
     * Whether the program's supervisor is still there. A supervisor this backend started is the
     * JVM's child, and its {@link Process} knows. For one adopted at a restart, the first look opens a probe on its pid
     * and then checks that pid is in the sliver's {@code cgroup.procs}, so the probe holds the
     * supervisor and not a process that got its number later; every later look is one read of the
     * probe. A supervisor that is gone (exited, even if not reaped) has finished writing its
     * {@code exit} file, or was killed before it could.
     *
     * @param mayHaveEnded {@code false} when the sliver used no CPU time since the last look: a
     *                     supervisor alive then is alive now (a process ends by running its exit),
     *                     so an adopted one's probe is not read
     */
    boolean supervisorAlive(ProgramRecord program, CgroupDriver driver, boolean mayHaveEnded) {
        Process child = children.get(program.id());
        if (child != null) {
            return child.isAlive(); // false once the JVM's reaper has reaped it (at once); no system call
        }
        LivenessProbe probe = supervisors.get(program.id());
        if (probe != null) {
            return !mayHaveEnded || probe.alive();
        }
        if (unprobed.contains(program.id())) {
            return !mayHaveEnded || contains(driver.processes(name()), program.supervisorPid());
        }
        try {
            probe = LivenessProbe.open(program.supervisorPid());
        } catch (IOException e) {
            unprobed.add(program.id());
            return contains(driver.processes(name()), program.supervisorPid());
        }
        if (probe == null) {
            return false;
        }
        if (!contains(driver.processes(name()), program.supervisorPid())) {
            probe.close();
            return false;
        }
        supervisors.put(program.id(), probe);
        return true;
    }

    /** Follows a supervisor this backend just started. */
    void started(String programId, Process supervisor) {
        children.put(programId, supervisor);
    }

    /** Forgets the supervisor of a program reported ended. */
    void ended(String programId) {
        children.remove(programId);
        LivenessProbe probe = supervisors.remove(programId);
        if (probe != null) {
            probe.close();
        }
        unprobed.remove(programId);
    }

    private static boolean contains(long[] pids, long pid) {
        for (long p : pids) {
            if (p == pid) {
                return true;
            }
        }
        return false;
    }

    /** Closes the counters' files and the probes; the next sample opens them again. */
    void closeCounters() {
        if (counters != null) {
            counters.close();
            counters = null;
            schedule = null;
        }
        supervisors.values().forEach(LivenessProbe::close);
        supervisors.clear();
        unprobed.clear();
    }

    /**
     * The memory peak to report: the highest of every figure noted since the backend attached,
     * which are the kernel's peak when read and the usage of every pass (between two reads of the
     * kernel's peak the usage may pass it; on kernels that keep no peak, the usage alone).
     */
    long notePeak(long memoryBytes) {
        peakSeen = Math.max(peakSeen, memoryBytes);
        return peakSeen;
    }
}
