package dev.sliceplane.vmm.process.internal;

import java.time.Instant;
import java.util.List;

/**
 * A program's record ({@code program.json}). Its exit code is set only once the exit was
 * reported, so "exit code present" and "PROGRAM_EXITED sent" are one fact, kept across restarts.
 *
 * @param id               {@code p1}, {@code p2}, …
 * @param command          what was launched
 * @param workingDirectory relative to the sliver's home
 * @param started          when it was launched
 * @param bootId           the kernel's boot id then: after a reboot none of its processes can be alive
 * @param session          the supervisor's session
 * @param pid              the program's own pid once known, else -1
 * @param exitCode         its exit code once reported ({@code -1}: it ended unobserved, code unknown)
 */
record ProgramRecord(String id, List<String> command, String workingDirectory, Instant started, String bootId,
                     ProgramSession session, long pid, Integer exitCode) {

    ProgramRecord withPid(long programPid) {
        return new ProgramRecord(id, command, workingDirectory, started, bootId, session, programPid, exitCode);
    }

    ProgramRecord withExitCode(int code) {
        return new ProgramRecord(id, command, workingDirectory, started, bootId, session, pid, code);
    }

    boolean ended() {
        return exitCode != null;
    }
}
