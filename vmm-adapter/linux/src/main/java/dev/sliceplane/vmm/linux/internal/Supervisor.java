package dev.sliceplane.vmm.linux.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.sliceplane.vmm.api.VmmException;

/**
 * Starts a program under a small {@code /bin/sh} supervisor in a session of its own
 * ({@code setsid}, so a Ctrl-C on the node's terminal never reaches a sliver). The supervisor
 * writes its pid into every {@code cgroup.procs} of the sliver, so the program is inside the
 * cgroups before it execs; forks a subshell that reports its own pid to the JVM and execs the
 * program with stdin from {@code /dev/null} and stdout/stderr to the program's files; waits;
 * and writes the exit code ({@code 128 + n} for signal n) to {@code exit} through a rename. It
 * ignores SIGTERM (which the program does not inherit) so a stop still records the program's
 * own exit code; SIGKILL takes it with the program, and the backend then records 137 itself.
 * The command travels as positional parameters, never through a string the shell parses.
 */
final class Supervisor {

    /** $1: number of cgroup.procs files, then those files, the program directory, mv, the command. */
    static final String SCRIPT = """
            trap : TERM
            n=$1; shift
            while [ "$n" -gt 0 ]; do echo $$ >"$1" || exit 125; shift; n=$((n - 1)); done
            dir=$1 mv=$2; shift 2
            exec 3>&1 >/dev/null 2>&1
            ( read -r pid _ </proc/self/stat && echo "$pid" >&3 && exec "$@" </dev/null >"$dir/stdout" 2>"$dir/stderr" 3>&- )
            code=$?
            echo "$code" >"$dir/exit.tmp" && "$mv" -f "$dir/exit.tmp" "$dir/exit"
            """;

    private static final int MAX_ERROR_BYTES = 4096;

    /**
     * A started program.
     *
     * @param supervisorPid the supervising shell
     * @param programPid    the program itself
     * @param supervisor    the supervising shell as the JVM's child: the JVM reaps it, and
     *                      {@link Process#isAlive()} says so without a system call
     */
    record Started(long supervisorPid, long programPid, Process supervisor) {
    }

    private final String setsid;
    private final String shell;
    private final String mv;

    Supervisor(String setsid, String shell, String mv) {
        this.setsid = setsid;
        this.shell = shell;
        this.mv = mv;
    }

    /** Finds setsid, sh and mv in the usual places; empty names what is missing. */
    static Supervisor locate() {
        List<String> missing = new ArrayList<>();
        String setsid = find("setsid", missing);
        String shell = find("sh", missing);
        String mv = find("mv", missing);
        if (!missing.isEmpty()) {
            throw new VmmException(VmmException.Reason.NOT_SUPPORTED,
                    "the linux backend needs " + String.join(", ", missing) + " in /usr/bin or /bin");
        }
        return new Supervisor(setsid, shell, mv);
    }

    private static String find(String name, List<String> missing) {
        Optional<Path> found = List.of("/usr/bin", "/bin").stream().map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            missing.add(name);
            return null;
        }
        return found.get().toString();
    }

    /**
     * Starts the program and returns once it is in the sliver's cgroups and forked.
     *
     * @throws VmmException {@code LAUNCH_FAILED} when the supervisor could not get that far
     */
    Started start(List<Path> procsFiles, Path workingDirectory, Path programDir, Map<String, String> environment,
                  List<String> command) {
        List<String> args = new ArrayList<>(List.of(setsid, shell, "-c", SCRIPT, "sliceplane-supervisor",
                Integer.toString(procsFiles.size())));
        procsFiles.forEach(p -> args.add(p.toString()));
        args.add(programDir.toString());
        args.add(mv);
        args.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(args)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new VmmException(VmmException.Reason.LAUNCH_FAILED, "cannot start the supervisor: " + e.getMessage(), e);
        }
        try (InputStream out = process.getInputStream()) {
            String first = readLine(out);
            if (!first.isEmpty() && first.chars().allMatch(Character::isDigit)) {
                return new Started(process.pid(), Long.parseLong(first), process);
            }
            String rest = new String(out.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
            String code = process.waitFor(5, TimeUnit.SECONDS) ? " (exit " + process.exitValue() + ")" : "";
            throw new VmmException(VmmException.Reason.LAUNCH_FAILED,
                    "the program could not be started" + code + ": " + (first + "\n" + rest).trim());
        } catch (IOException e) {
            process.destroyForcibly();
            throw new VmmException(VmmException.Reason.LAUNCH_FAILED, "lost the supervisor: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new VmmException(VmmException.Reason.LAUNCH_FAILED, "interrupted while starting the program", e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(16);
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.size() < MAX_ERROR_BYTES) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
