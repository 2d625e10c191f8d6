package dev.sliceplane.vmm.simulated.internal;

import java.util.List;

/** A simulated program: what was launched, how many processes it keeps, and how it ended. */
final class ProgramModel {

    final int id;
    final List<String> command;
    final long startedMillis;
    /** Processes the program runs when not bursting. */
    final int processes;
    /** Its exit code, or -1 while it runs. */
    int exitCode = -1;
    long endedMillis;
    /** Whether {@code PROGRAM_EXITED} went to the sink; persisted so a restart neither loses nor repeats it. */
    boolean exitReported;
    /** Whether its {@code exit} file is written. */
    boolean exitWritten;

    ProgramModel(int id, List<String> command, long startedMillis, int processes) {
        this.id = id;
        this.command = List.copyOf(command);
        this.startedMillis = startedMillis;
        this.processes = processes;
    }

    boolean running() {
        return exitCode < 0;
    }

    String name() {
        return "p" + id;
    }
}
