package dev.sliceplane.vmm.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program to launch inside a sliver.
 *
 * @param command          the executable and its arguments; not empty
 * @param environment      extra environment variables (the sliver's own come first)
 * @param workingDirectory a directory relative to the sliver's home ({@code ""} for the home
 *                         itself); it must stay inside the home
 */
public record ProgramSpec(List<String> command, Map<String, String> environment, String workingDirectory) {

    public ProgramSpec {
        if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw new VmmException(VmmException.Reason.INVALID_PROGRAM, "a program needs a command");
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        workingDirectory = Objects.requireNonNullElse(workingDirectory, "");
        if (workingDirectory.startsWith("/") || List.of(workingDirectory.split("/")).contains("..")) {
            throw new VmmException(VmmException.Reason.INVALID_PROGRAM,
                    "working directory must be relative to the sliver's home, was '" + workingDirectory + "'");
        }
    }

    /** A program run in the sliver's home with no extra environment. */
    public static ProgramSpec of(String... command) {
        return new ProgramSpec(List.of(command), Map.of(), "");
    }
}
