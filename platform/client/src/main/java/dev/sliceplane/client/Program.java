package dev.sliceplane.client;

import java.time.Instant;
import java.util.List;

/**
 * A program started in a sliver ({@code /api/v1/leases/{id}/programs}).
 *
 * @param pid      its process id on the node
 * @param command  the command it runs
 * @param stdout   where its standard output goes on the node
 * @param stderr   where its standard error goes on the node
 * @param started  when it started
 * @param state    e.g. {@code running} or {@code exited}; null when the node did not say
 * @param exitCode its exit code once it has exited; null before or when unknown
 */
public record Program(long pid, List<String> command, String stdout, String stderr, Instant started, String state,
        Integer exitCode) {

    public Program {
        command = command == null ? List.of() : List.copyOf(command);
    }
}
