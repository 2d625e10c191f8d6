package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.sliceplane.vmm.api.VmmException;

/**
 * Finds the file a command will run, the way the shell's {@code exec} will: a name with a
 * slash is a path (relative to the working directory), any other name is looked up on the
 * program's PATH. Checked before anything starts, so a command that cannot start is refused
 * with a reason ({@code LAUNCH_FAILED}) instead of turning into exit code 127 later.
 */
final class ExecutableResolver {

    private ExecutableResolver() {
    }

    /**
     * @param command    the command's first word
     * @param path       the PATH the program gets
     * @param workingDir where it runs
     * @return the executable
     * @throws VmmException {@code LAUNCH_FAILED} when there is none, it is not executable, or
     *                      its script interpreter is missing
     */
    static Path resolve(String command, String path, Path workingDir) {
        Path executable;
        if (command.contains("/")) {
            executable = workingDir.resolve(command);
            requireRunnable(command, executable);
        } else {
            executable = null;
            for (String dir : (path == null ? "" : path).split(":", -1)) {
                Path candidate = (dir.isEmpty() ? workingDir : workingDir.resolve(dir)).resolve(command);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    executable = candidate;
                    break;
                }
            }
            if (executable == null) {
                throw failed("'" + command + "' not found on PATH " + path);
            }
        }
        requireInterpreter(command, executable, workingDir);
        return executable;
    }

    private static void requireRunnable(String command, Path file) {
        if (!Files.exists(file)) {
            throw failed("'" + command + "' not found");
        }
        if (Files.isDirectory(file)) {
            throw failed("'" + command + "' is a directory");
        }
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            throw failed("'" + command + "' is not executable");
        }
    }

    /** A script whose {@code #!} interpreter is missing fails in exec, after the launch: refuse it now. */
    private static void requireInterpreter(String command, Path executable, Path workingDir) {
        byte[] head = new byte[256];
        int length;
        try (InputStream in = Files.newInputStream(executable)) {
            length = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return; // unreadable but executable: only exec can tell
        }
        if (length < 2 || head[0] != '#' || head[1] != '!') {
            return;
        }
        String line = new String(head, 2, length - 2, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("").trim();
        String interpreter = line.split("[ \t]+", 2)[0];
        Path file = workingDir.resolve(interpreter); // the kernel resolves a relative one from the working directory
        if (interpreter.isEmpty() || !Files.isRegularFile(file) || !Files.isExecutable(file)) {
            throw failed("'" + command + "' names a missing interpreter '" + interpreter + "'");
        }
    }

    private static VmmException failed(String reason) {
        return new VmmException(VmmException.Reason.LAUNCH_FAILED, "cannot launch: " + reason);
    }
}
