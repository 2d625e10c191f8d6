package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.process.internal.StateLayout.ProgramPaths;

/**
 * Notices programs that ended and reports each exit once: {@code PROGRAM_EXITED} with the code
 * from the supervisor's {@code exit} file. The code is written to the program's record before
 * the event is sent, so a restart neither repeats nor (but for a crash in between) loses it.
 *
 * <p>A program whose supervisor and process are both gone without an exit file (the node
 * rebooted, or someone killed the supervisor) ended unobserved: it is reported with exit code
 * {@code -1} and, being an inconsistent state, as {@code ORPHAN_FOUND} too.
 */
final class ExitTracker {

    /** The exit code of a program that ended without its supervisor recording one. */
    static final int UNKNOWN_EXIT = -1;

    private final String bootId;
    private final RecordStore store;
    private final Consumer<VmmEvent> events;
    private final Clock clock;

    ExitTracker(String bootId, RecordStore store, Consumer<VmmEvent> events, Clock clock) {
        this.bootId = bootId;
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** Looks at every running program of the sliver and reports those that ended. */
    void settle(Sliver sliver, ProcessLookup processes) {
        for (ProgramRecord program : sliver.programs()) {
            if (program.ended()) {
                continue;
            }
            ProgramPaths paths = sliver.paths().program(program.id());
            if (program.pid() < 0) {
                Optional<Long> pid = ProgramLauncher.readPid(paths.pid());
                if (pid.isPresent()) {
                    program = program.withPid(pid.get());
                    store.write(paths.record(), program);
                    sliver.putProgram(program);
                }
            }
            Optional<Integer> code = readExit(paths.exit());
            if (code.isEmpty()) {
                if (running(program, processes)) {
                    continue;
                }
                code = readExit(paths.exit()); // it may have been renamed into place meanwhile
            }
            if (code.isPresent()) {
                record(sliver, program.withExitCode(code.get()));
                events.accept(VmmEvent.programExited(sliver.name(), clock.instant(), program.id(), code.get()));
            } else {
                record(sliver, program.withExitCode(UNKNOWN_EXIT));
                events.accept(new VmmEvent(VmmEvent.Kind.PROGRAM_EXITED, sliver.name(), clock.instant(), null,
                        program.id(), UNKNOWN_EXIT, "program " + program.id()
                        + " ended unobserved; its exit code is unknown"));
                events.accept(VmmEvent.orphanFound(sliver.name(), clock.instant(), "program " + program.id()
                        + ": its supervisor and process are gone but it left no exit code"
                        + " (the node restarted, or the supervisor was killed)"));
            }
        }
    }

    /** Whether the supervisor or the program itself is still alive. */
    boolean running(ProgramRecord program, ProcessLookup processes) {
        if (!program.bootId().equals(bootId)) {
            return false;
        }
        ProgramSession session = program.session();
        Optional<ProcStat> leader = processes.get(session.sid());
        if (leader.isPresent() && leader.get().alive() && session.isOurLeader(leader.get())) {
            return true;
        }
        if (program.pid() > 0) {
            Optional<ProcStat> p = processes.get(program.pid());
            return p.isPresent() && p.get().alive() && p.get().session() == session.sid()
                    && p.get().startTicks() >= session.notBefore();
        }
        return false;
    }

    private void record(Sliver sliver, ProgramRecord ended) {
        store.write(sliver.paths().program(ended.id()).record(), ended);
        sliver.putProgram(ended);
    }

    static Optional<Integer> readExit(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return Optional.of(Integer.parseInt(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.of(UNKNOWN_EXIT); // present but unreadable: it ended, how is lost
        }
    }
}
