package dev.sliceplane.vmm.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A program launched in a sliver.
 *
 * @param id       identifier, unique within the sliver ({@code p1}, {@code p2}, …)
 * @param pid      the operating-system process id of the program, or -1 in a simulation
 * @param command  what was launched
 * @param started  when it was launched
 * @param stdout   file receiving its standard output, readable by the sliver's owner
 * @param stderr   file receiving its standard error
 * @param exitCode its exit code once it exited ({@code 128 + n} when killed by signal n),
 *                 {@code null} while it runs
 */
public record ProgramInfo(String id, long pid, List<String> command, Instant started,
                          Path stdout, Path stderr, Integer exitCode) {

    public ProgramInfo {
        command = List.copyOf(command);
    }

    public boolean running() {
        return exitCode == null;
    }
}
