package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

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
    /**
     * How to look at each program's supervisor, by the program's place in the record (programs are
     * only appended, and keep their place): every pass looks at each running program's, and an
     * array walked in step with the record costs no hashing and fewer cache misses than a map by id.
     * {@code null} where nothing is followed yet.
     */
    private Watch[] watches = new Watch[1];

    /** A program's supervisor, until the program is reported ended. */
    private static final class Watch {
        /** Started by this backend (the JVM's child); {@code null} for one adopted at a restart. */
        Process child;
        /** On an adopted supervisor, opened on the first look. */
        LivenessProbe probe;
        /** An adopted supervisor that could not get a probe (no file descriptor to spare): looked up in cgroup.procs. */
        boolean unprobed;

        void closeProbe() {
            if (probe != null) {
                probe.close();
                probe = null;
            }
            unprobed = false;
        }
    }

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
     * @param place        the program's place in the record's programs
     * @param mayHaveEnded {@code false} when the sliver used no CPU time since the last look: a
     *                     supervisor alive then is alive now (a process ends by running its exit),
     *                     so an adopted one's probe is not read
     */
    boolean supervisorAlive(int place, ProgramRecord program, CgroupDriver driver, boolean mayHaveEnded) {
        Watch watch = watch(place);
        if (watch.child != null) {
            return watch.child.isAlive(); // false once the JVM's reaper has reaped it (at once); no system call
        }
        if (watch.probe != null) {
            return !mayHaveEnded || watch.probe.alive();
        }
        if (watch.unprobed) {
            return !mayHaveEnded || contains(driver.processes(name()), program.supervisorPid());
        }
        LivenessProbe probe;
        try {
            probe = LivenessProbe.open(program.supervisorPid());
        } catch (IOException e) {
            watch.unprobed = true;
            return contains(driver.processes(name()), program.supervisorPid());
        }
        if (probe == null) {
            return false;
        }
        if (!contains(driver.processes(name()), program.supervisorPid())) {
            probe.close();
            return false;
        }
        watch.probe = probe;
        return true;
    }

    private Watch watch(int place) {
        if (place >= watches.length) {
            watches = Arrays.copyOf(watches, Math.max(place + 1, watches.length * 2));
        }
        Watch watch = watches[place];
        if (watch == null) {
            watch = new Watch();
            watches[place] = watch;
        }
        return watch;
    }

    /** Follows the supervisor of the program this backend just added at this place in the record. */
    void started(int place, Process supervisor) {
        watch(place).child = supervisor;
    }

    /** Forgets the supervisor of a program reported ended. */
    void ended(String programId) {
        List<ProgramRecord> programs = record.programs();
        for (int place = 0; place < programs.size() && place < watches.length; place++) {
            if (programs.get(place).id().equals(programId) && watches[place] != null) {
                watches[place].closeProbe();
                watches[place] = null;
            }
        }
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
        for (Watch watch : watches) {
            if (watch != null) {
                watch.closeProbe(); // a child stays followed: its Process needs no file
            }
        }
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
