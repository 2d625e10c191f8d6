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
 * from the first sample on), a liveness probe on each running program's supervisor, the cached
 * size of its home, and the highest memory seen (for kernels that keep no peak themselves).
 * Guarded by the backend.
 */
final class Sliver {

    SliverRecord record;
    final Path home;
    final DiskUsage disk;
    private SliverCounters counters;
    /** Whether the last sample failed, so the failure is logged once, not every second. */
    boolean sampleFailing;
    private long peakSeen;
    /** Supervisors this backend started (the JVM's children), by program id, until reported ended. */
    private final Map<String, Process> children = new HashMap<>();
    /** Probes on the other supervisors (adopted at a restart) of programs not yet reported ended, by program id. */
    private final Map<String, LivenessProbe> supervisors = new HashMap<>();
    /** Programs whose supervisor could not get a probe (no file descriptor to spare): looked up in cgroup.procs. */
    private final Set<String> unprobed = new HashSet<>();

    Sliver(SliverRecord record, Path home, long diskScanNanos) {
        this.record = record;
        this.home = home;
        this.disk = new DiskUsage(diskScanNanos);
    }

    String name() {
        return record.name();
    }

    SliverCounters counters(CgroupDriver driver) {
        if (counters == null) {
            counters = driver.counters(name());
        }
        return counters;
    }

    /**
     * Whether the program's supervisor is still there. A supervisor this backend started is the
     * JVM's child, and its {@link Process} knows. For one adopted at a restart, the first look opens a probe on its pid
     * and then checks that pid is in the sliver's {@code cgroup.procs}, so the probe holds the
     * supervisor and not a process that got its number later; every later look is one read of the
     * probe. A supervisor that is gone (exited, even if not reaped) has finished writing its
     * {@code exit} file, or was killed before it could.
     */
    boolean supervisorAlive(ProgramRecord program, CgroupDriver driver) {
        Process child = children.get(program.id());
        if (child != null) {
            return child.isAlive(); // false once the JVM's reaper has reaped it (at once); no system call
        }
        LivenessProbe probe = supervisors.get(program.id());
        if (probe != null) {
            return probe.alive();
        }
        if (unprobed.contains(program.id())) {
            return contains(driver.processes(name()), program.supervisorPid());
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
        }
        supervisors.values().forEach(LivenessProbe::close);
        supervisors.clear();
        unprobed.clear();
    }

    /** The highest memory figure seen since the backend attached. */
    long notePeak(long memoryBytes) {
        peakSeen = Math.max(peakSeen, memoryBytes);
        return peakSeen;
    }
}
