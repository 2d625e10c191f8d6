package dev.sliceplane.vmm.linux.internal;

import java.time.Instant;
import java.util.List;

/**
 * A launched program as kept in its sliver's record.
 *
 * @param id            {@code p1}, {@code p2}, …
 * @param pid           the program's process id
 * @param supervisorPid the supervising shell's process id; the program has ended once it is gone
 * @param command       what was launched
 * @param started       when
 * @param exitCode      its exit code once known, else {@code null}
 * @param exitReported  whether {@code PROGRAM_EXITED} was reported; kept so a restart never reports it again
 */
record ProgramRecord(String id, long pid, long supervisorPid, List<String> command, Instant started, Integer exitCode,
                     boolean exitReported) {

    ProgramRecord {
        command = List.copyOf(command);
    }

    ProgramRecord withExitCode(int code) {
        return new ProgramRecord(id, pid, supervisorPid, command, started, code, exitReported);
    }

    ProgramRecord reported(int code) {
        return new ProgramRecord(id, pid, supervisorPid, command, started, code, true);
    }
}
