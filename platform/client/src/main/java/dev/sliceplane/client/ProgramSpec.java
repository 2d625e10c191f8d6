package dev.sliceplane.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program to start in each sliver: {@code POST /api/v1/leases/{id}/programs}.
 *
 * @param command          the program and its arguments; not empty
 * @param environment      variables added to the sliver's environment
 * @param workingDirectory where it runs, relative to the sliver's home; null for the home
 */
public record ProgramSpec(List<String> command, Map<String, String> environment, String workingDirectory) {

    public ProgramSpec {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a program needs a command");
        }
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** The command with no extra environment, in the sliver's home. */
    public static ProgramSpec of(String... command) {
        return new ProgramSpec(List.of(command), Map.of(), null);
    }

    public static ProgramSpec of(List<String> command) {
        return new ProgramSpec(command, Map.of(), null);
    }

    public ProgramSpec withEnvironment(Map<String, String> environment) {
        return new ProgramSpec(command, environment, workingDirectory);
    }

    public ProgramSpec withWorkingDirectory(String directory) {
        return new ProgramSpec(command, environment, directory);
    }
}
