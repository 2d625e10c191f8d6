package dev.sliceplane.vmm.linux.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells before launching whether a command can start, the way the shell will look it up: a name
 * with a slash relative to the working directory, else the first executable file on PATH. The
 * shell's own error would only show as exit code 126 or 127 after launch has returned.
 */
final class CommandCheck {

    private CommandCheck() {
    }

    /** Why the command cannot start, or empty when it can. */
    static Optional<String> problem(String command, Path workingDirectory, String path) {
        if (command.indexOf('/') >= 0) {
            Path file = workingDirectory.resolve(command);
            return problemWith(file, command);
        }
        boolean seen = false;
        for (String dir : (path == null ? "" : path).split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path file = Path.of(dir).resolve(command);
            if (Files.isRegularFile(file)) {
                if (Files.isExecutable(file)) {
                    return Optional.empty();
                }
                seen = true;
            }
        }
        return Optional.of(seen ? "command '" + command + "' is not executable (PATH " + path + ")"
                : "command '" + command + "' not found on PATH " + path);
    }

    private static Optional<String> problemWith(Path file, String command) {
        if (!Files.exists(file)) {
            return Optional.of("command '" + command + "' not found (" + file + ")");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("command '" + command + "' is not a file (" + file + ")");
        }
        if (!Files.isExecutable(file)) {
            return Optional.of("command '" + command + "' is not executable (" + file + ")");
        }
        return Optional.empty();
    }
}
