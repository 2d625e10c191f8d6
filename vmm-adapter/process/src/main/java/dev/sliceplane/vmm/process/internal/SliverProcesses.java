package dev.sliceplane.vmm.process.internal;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import dev.sliceplane.vmm.process.internal.StateLayout.ProgramPaths;

/**
 * Which processes of a snapshot belong to a sliver, and which of them may be signalled.
 * Immutable: the backend replaces it when programs start or their sessions empty.
 *
 * <p>Workers are the processes stop, kill and the guard act on. Two kinds of member are not
 * workers: the supervisors, and a supervisor's child after its program ended, which can only
 * be the {@code mv} that puts the exit file in place (the supervisor writes {@code times}
 * just before it, so that file's presence tells them apart).
 */
final class SliverProcesses {

    /** One program's session and files. */
    record Program(ProgramSession session, ProgramPaths paths) {
    }

    static final SliverProcesses NONE = new SliverProcesses(List.of());

    private final List<Program> programs;

    SliverProcesses(List<Program> programs) {
        this.programs = List.copyOf(programs);
    }

    boolean isEmpty() {
        return programs.isEmpty();
    }

    List<Program> programs() {
        return programs;
    }

    /** Every member, zombies included (they still show their final CPU times). */
    List<ProcStat> members(ProcessTable table) {
        List<ProcStat> members = new ArrayList<>();
        programs.forEach(p -> members.addAll(p.session().members(table)));
        return members;
    }

    /** Live members that may be signalled. */
    List<ProcStat> workers(ProcessTable table) {
        List<ProcStat> workers = new ArrayList<>();
        for (Program program : programs) {
            Boolean ended = null;
            for (ProcStat p : program.session().members(table)) {
                if (!p.alive() || p.leadsSession()) {
                    continue;
                }
                if (p.ppid() == program.session().sid()) {
                    if (ended == null) {
                        ended = Files.exists(program.paths().times());
                    }
                    if (ended) {
                        continue; // the supervisor's finishing mv
                    }
                }
                workers.add(p);
            }
        }
        return workers;
    }

    /** Live supervisors. */
    List<ProcStat> supervisors(ProcessTable table) {
        List<ProcStat> supervisors = new ArrayList<>();
        for (Program program : programs) {
            for (ProcStat p : program.session().members(table)) {
                if (p.alive() && p.leadsSession()) {
                    supervisors.add(p);
                }
            }
        }
        return supervisors;
    }
}
