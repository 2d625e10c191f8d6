package dev.sliceplane.vmm.process.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.api.VmmException.Reason;
import dev.sliceplane.vmm.process.internal.Signaller.Signal;
import dev.sliceplane.vmm.process.internal.StateLayout.ProgramPaths;
import dev.sliceplane.vmm.process.internal.StateLayout.SliverPaths;

/**
 * Starts one program under its {@link Supervisor}: checks that it can start, gives it its
 * environment, working directory, nice value and RLIMIT_AS, and waits until the supervisor
 * has reported the program's pid. A launch that fails leaves nothing behind: no process, no
 * program directory.
 *
 * <p>The environment is built, not inherited, so nothing of the node's own environment leaks
 * into a sliver: {@code PATH} (the JVM's), then the spec's variables, then {@code HOME} and
 * {@code SLIVER}, which a spec cannot override.
 */
final class ProgramLauncher {

    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final long STARTUP_WAIT_MILLIS = 2_000;

    private final Host host;
    private final ProcessSettings settings;
    private final EnforcementPolicy policy;
    private final Signaller signaller;
    private final Clock clock;

    ProgramLauncher(Host host, ProcessSettings settings, EnforcementPolicy policy, Signaller signaller, Clock clock) {
        this.host = host;
        this.settings = settings;
        this.policy = policy;
        this.signaller = signaller;
        this.clock = clock;
    }

    /** Starts the program; the caller writes the returned record. */
    ProgramRecord launch(String sliver, SliverPaths paths, String id, ProgramSpec spec, Limits limits) {
        Path workingDir = workingDirectory(paths.home(), spec.workingDirectory());
        Map<String, String> environment = environment(sliver, paths.home(), spec.environment());
        ExecutableResolver.resolve(spec.command().get(0), environment.get("PATH"), workingDir);

        ProgramPaths program = paths.program(id);
        try {
            Files.createDirectory(program.dir());
        } catch (IOException e) {
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot create " + program.dir() + ": " + e, e);
        }
        Process supervisor = null;
        try {
            Files.createFile(program.stdout());
            Files.createFile(program.stderr());
            long notBefore = host.uptimeTicks() - host.ticksPerSecond(); // a second of slack for clock rounding
            ProcessBuilder builder = new ProcessBuilder(commandLine(program, limits, spec.command()))
                    .directory(workingDir.toFile())
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(program.stderr().toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(program.stderr().toFile()));
            builder.environment().clear();
            builder.environment().putAll(environment);
            supervisor = builder.start();
            long sid = supervisor.pid();
            long pid = awaitProgramPid(supervisor, program);
            long leaderStart = ProcessTable.read(host.proc(), sid).map(ProcStat::startTicks).orElse(-1L);
            ProgramSession session = new ProgramSession(sid, leaderStart, notBefore);
            requireOwnSession(session);
            return new ProgramRecord(id, spec.command(), spec.workingDirectory(), clock.instant(), host.bootId(),
                    session, pid, null);
        } catch (IOException | RuntimeException e) {
            if (supervisor != null) {
                killSession(supervisor);
            }
            removeQuietly(program.dir());
            if (e instanceof VmmException v) {
                throw v;
            }
            throw new VmmException(Reason.LAUNCH_FAILED, "cannot launch " + spec.command() + ": " + e.getMessage(), e);
        }
    }

    private List<String> commandLine(ProgramPaths program, Limits limits, List<String> command) {
        OptionalInt increment = OptionalInt.empty();
        OptionalInt autogroup = OptionalInt.empty();
        if (limits.cpuWeight() != null) {
            int nice = CpuWeights.niceFor(limits.cpuWeight());
            if (policy.canApply(nice)) {
                increment = OptionalInt.of(nice - host.ownNice());
                autogroup = host.autogroup() ? OptionalInt.of(nice) : OptionalInt.empty();
            }
        }
        OptionalLong addressSpace = OptionalLong.empty();
        if (limits.memoryBytes() != null && settings.addressSpaceFactor() > 0) {
            addressSpace = OptionalLong.of((long) (limits.memoryBytes() * settings.addressSpaceFactor()) / 1024);
        }
        return Supervisor.commandLine(host.tools(), program.dir().toAbsolutePath().toString(), increment, autogroup,
                addressSpace, command);
    }

    /** The supervisor writes the pid just before it runs the program; a fast program may have ended already. */
    private long awaitProgramPid(Process supervisor, ProgramPaths program) throws IOException {
        long deadline = System.nanoTime() + STARTUP_WAIT_MILLIS * 1_000_000;
        long pause = 1;
        while (true) {
            Optional<Long> pid = readPid(program.pid());
            if (pid.isPresent()) {
                return pid.get();
            }
            if (!supervisor.isAlive()) {
                pid = readPid(program.pid());
                if (pid.isPresent() || Files.exists(program.exit())) {
                    return pid.orElse(-1L); // it ran and ended already
                }
                throw new VmmException(Reason.LAUNCH_FAILED, "the program's supervisor failed: "
                        + head(program.stderr()));
            }
            if (System.nanoTime() > deadline) {
                return -1; // a very slow start: the pid is read later
            }
            sleep(pause);
            pause = Math.min(pause * 2, 20);
        }
    }

    /** setsid forks instead when its caller leads a process group; the JVM's children never do, but check. */
    private void requireOwnSession(ProgramSession session) {
        Optional<ProcStat> leader = ProcessTable.read(host.proc(), session.sid());
        if (leader.isPresent() && leader.get().alive() && leader.get().session() != session.sid()) {
            throw new VmmException(Reason.BACKEND_FAILURE, "setsid did not give the supervisor (pid "
                    + session.sid() + ") its own session");
        }
    }

    static Optional<Long> readPid(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // not written yet, or half written
        }
    }

    private Path workingDirectory(Path home, String relative) {
        Path dir = home.resolve(relative).normalize();
        if (!Files.isDirectory(dir)) {
            throw new VmmException(Reason.LAUNCH_FAILED,
                    "cannot launch: working directory '" + relative + "' does not exist in the sliver's home");
        }
        try {
            if (!dir.toRealPath().startsWith(home.toRealPath())) {
                throw new VmmException(Reason.INVALID_PROGRAM,
                        "working directory '" + relative + "' leads outside the sliver's home");
            }
        } catch (IOException e) {
            throw new VmmException(Reason.LAUNCH_FAILED, "cannot launch: working directory '" + relative + "': " + e, e);
        }
        return dir;
    }

    private static Map<String, String> environment(String sliver, Path home, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        String path = System.getenv("PATH");
        env.put("PATH", path == null || path.isBlank() ? DEFAULT_PATH : path);
        extra.forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                throw new VmmException(Reason.INVALID_PROGRAM, "invalid environment variable '" + name + "'");
            }
            env.put(name, value);
        });
        env.put("HOME", home.toAbsolutePath().toString());
        env.put("SLIVER", sliver);
        return env;
    }

    /** Undoes a launch that started: kills the whole session, supervisor included. */
    private void killSession(Process supervisor) {
        long sid = supervisor.pid();
        long deadline = System.nanoTime() + 2_000_000_000L;
        do {
            List<Long> pids = ProcessTable.scan(host.proc()).session(sid).stream()
                    .filter(ProcStat::alive).map(ProcStat::pid).toList();
            if (pids.isEmpty()) {
                return;
            }
            signaller.send(Signal.KILL, pids);
            sleep(10);
        } while (System.nanoTime() < deadline);
    }

    private static String head(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "no message" : text.length() > 500 ? text.substring(0, 500) + "…" : text;
        } catch (IOException e) {
            return "no message";
        }
    }

    private static void removeQuietly(Path dir) {
        try {
            RecordStore.deleteTree(dir);
        } catch (IOException e) {
            // the launch failed already; what is left is reported at the next open as an orphan
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException(Reason.BACKEND_FAILURE, "interrupted while launching");
        }
    }
}
