package dev.sliceplane.vmm.process.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sliceplane.vmm.process.internal.StateLayout.SliverPaths;

/**
 * What the backend holds in memory about one sliver: its records, its CPU meter and memory
 * peak, and its entry in the guard. Used only by the backend's callers (the core serialises
 * them); the guard sees the sliver through its {@link GuardedSliver}.
 */
final class Sliver {

    private final SliverPaths paths;
    private final GuardedSliver guarded;
    private final CpuMeter meter;
    private final Map<String, ProgramRecord> programs = new HashMap<>();
    private final Set<String> closedSessions = new HashSet<>();
    private SliverRecord record;
    private long peakBytes;
    private long usageSavedNanos;

    Sliver(SliverRecord record, SliverPaths paths, GuardedSliver guarded, CpuMeter meter, long peakBytes) {
        this.record = record;
        this.paths = paths;
        this.guarded = guarded;
        this.meter = meter;
        this.peakBytes = peakBytes;
        this.usageSavedNanos = System.nanoTime();
    }

    String name() {
        return record.name();
    }

    SliverRecord record() {
        return record;
    }

    void setRecord(SliverRecord record) {
        this.record = record;
    }

    SliverPaths paths() {
        return paths;
    }

    GuardedSliver guarded() {
        return guarded;
    }

    CpuMeter meter() {
        return meter;
    }

    /** Programs oldest first ({@code p1, p2, …, p10}). */
    List<ProgramRecord> programs() {
        List<ProgramRecord> all = new ArrayList<>(programs.values());
        all.sort((a, b) -> Integer.compare(number(a.id()), number(b.id())));
        return all;
    }

    void putProgram(ProgramRecord program) {
        boolean added = !programs.containsKey(program.id());
        programs.put(program.id(), program);
        if (added) {
            publishProcesses();
        }
    }

    /** The program's exit is known and no process of its session is alive: never look there again. */
    void closeSession(String programId) {
        if (closedSessions.add(programId)) {
            publishProcesses();
        }
    }

    boolean sessionClosed(String programId) {
        return closedSessions.contains(programId);
    }

    /** The processes of the programs whose sessions may still have members. */
    SliverProcesses processes() {
        List<SliverProcesses.Program> open = new ArrayList<>();
        for (ProgramRecord p : programs()) {
            if (!closedSessions.contains(p.id())) {
                open.add(new SliverProcesses.Program(p.session(), paths.program(p.id())));
            }
        }
        return new SliverProcesses(open);
    }

    long notePeak(long bytes) {
        peakBytes = Math.max(peakBytes, Math.max(bytes, guarded.peakBytes()));
        return peakBytes;
    }

    long peakBytes() {
        return peakBytes;
    }

    /** Whether the meter state was saved longer ago than this. */
    boolean usageOlderThan(long nanos) {
        return System.nanoTime() - usageSavedNanos > nanos;
    }

    void usageSaved() {
        usageSavedNanos = System.nanoTime();
    }

    /** The next program id: one past the highest in use, directories without records included. */
    String nextProgramId(Set<String> existingDirectories) {
        int highest = 0;
        for (String id : programs.keySet()) {
            highest = Math.max(highest, number(id));
        }
        for (String id : existingDirectories) {
            highest = Math.max(highest, number(id));
        }
        return "p" + (highest + 1);
    }

    static int number(String programId) {
        try {
            return programId.startsWith("p") ? Integer.parseInt(programId.substring(1)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void publishProcesses() {
        guarded.setProcesses(processes());
    }
}
