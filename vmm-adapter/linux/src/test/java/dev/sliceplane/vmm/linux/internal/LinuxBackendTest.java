package dev.sliceplane.vmm.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent.Kind;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.api.VmmException.Reason;

/** Create, launch, stop, kill and destroy on real cgroups and processes, and every kind of bad input. */
class LinuxBackendTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path state;
    private TestCgroups cgroups;
    private final EventLog events = new EventLog();
    private LinuxBackend backend;

    @BeforeEach
    void open() {
        cgroups = TestCgroups.require();
        backend = cgroups.open(state, events);
    }

    @AfterEach
    void cleanUp() {
        if (backend != null) {
            backend.close();
        }
        if (cgroups != null) {
            cgroups.close();
        }
    }

    @Test
    void createSetsKernelLimitsAndDestroyLeavesNoProcessAndNoCgroup() throws Exception {
        Limits limits = new Limits(0.2, 50, 64 * MIB, 50, 1L << 30);
        SliverInfo info = backend.create(new SliverSpec("alpha", limits));

        assertEquals(limits, info.limits());
        assertEquals(Enforcement.ENFORCED, info.enforcement().get(Limit.MEMORY));
        assertEquals(Enforcement.NOT_ENFORCED, info.enforcement().get(Limit.DISK));
        assertEquals(state.resolve("slivers/alpha/home"), info.home());
        for (Path dir : cgroups.dirs("alpha")) {
            assertTrue(Files.isDirectory(dir), dir + " exists");
        }
        if (cgroups.isV1()) {
            assertEquals("20000", read(cgroups.dir("cpu", "alpha").resolve("cpu.cfs_quota_us")));
            assertEquals("100000", read(cgroups.dir("cpu", "alpha").resolve("cpu.cfs_period_us")));
            assertEquals("512", read(cgroups.dir("cpu", "alpha").resolve("cpu.shares")));
            assertEquals(Long.toString(64 * MIB), read(cgroups.dir("memory", "alpha").resolve("memory.limit_in_bytes")));
            assertEquals("50", read(cgroups.dir("pids", "alpha").resolve("pids.max")));
        }

        ProgramInfo sleeper = backend.launch("alpha", ProgramSpec.of("sleep", "60"));
        ProgramInfo forker = backend.launch("alpha", ProgramSpec.of("sh", "-c", "sleep 60 & sleep 60 & wait"));
        TestCgroups.await(Duration.ofSeconds(5), () -> cgroups.processesIn("alpha").size() >= 5, "5 processes");
        assertEquals(SliverState.RUNNING, usageOf("alpha").state());

        backend.destroy("alpha");

        assertEquals(List.of(), cgroups.processesIn("alpha"));
        assertFalse(TestCgroups.alive(sleeper.pid()));
        assertFalse(TestCgroups.alive(forker.pid()));
        for (Path dir : cgroups.dirs("alpha")) {
            assertFalse(Files.exists(dir), dir + " is gone");
        }
        assertFalse(Files.exists(state.resolve("slivers/alpha")));
        assertTrue(backend.find("alpha").isEmpty());
        assertEquals(1, events.of(Kind.CREATED, "alpha").size());
        assertEquals(1, events.of(Kind.DESTROYED, "alpha").size());
        assertEquals(137, events.exits("alpha", "p1").get(0).exitCode());
        assertEquals(137, events.exits("alpha", "p2").get(0).exitCode());
        assertEquals(Kind.DESTROYED, events.all().get(events.all().size() - 1).kind(), "DESTROYED comes last");
        assertReason(Reason.UNKNOWN_SLIVER, () -> backend.destroy("alpha"));
    }

    @Test
    void programRunsInTheSliverWithItsEnvironmentFilesAndSession() throws Exception {
        backend.create(new SliverSpec("beta", Limits.NONE));
        Files.createDirectory(state.resolve("slivers/beta/home/work"));
        String script = "echo \"$SLIVER|$HOME|$FOO|$(pwd)|$(readlink /proc/self/fd/0)\"; cat /proc/self/cgroup;"
                + " cut -d' ' -f6 /proc/$$/stat; echo oops >&2; exit 3";
        ProgramInfo program = backend.launch("beta", new ProgramSpec(List.of("sh", "-c", script, "ignored $1 'quotes'"),
                Map.of("FOO", "b a r"), "work"));
        assertEquals("p1", program.id());
        assertNull(program.exitCode());

        awaitExit("beta", "p1");

        List<String> out = Files.readAllLines(program.stdout());
        Path home = state.resolve("slivers/beta/home");
        assertEquals("beta|" + home + "|b a r|" + home.resolve("work") + "|/dev/null", out.get(0));
        for (String controller : cgroups.isV1() ? List.of("cpu", "cpuacct", "memory", "pids") : List.of("")) {
            assertTrue(out.stream().anyMatch(l -> l.contains(":" + controller) && l.endsWith("/" + cgroups.root + "/beta")),
                    "in the sliver's " + controller + " cgroup: " + out);
        }
        String session = out.get(out.size() - 1);
        assertNotEquals(ownSession(), session, "the program runs in a session of its own");
        assertEquals("oops", Files.readString(program.stderr()).trim());
        assertEquals(3, events.exits("beta", "p1").get(0).exitCode());
        assertEquals(3, backend.find("beta").orElseThrow().programs().get(0).exitCode());
        assertEquals("3", read(state.resolve("slivers/beta/programs/p1/exit")));

        backend.usage();
        backend.usage();
        assertEquals(1, events.exits("beta", "p1").size(), "reported exactly once");
        assertEquals(SliverState.IDLE, usageOf("beta").state());
    }

    @Test
    void samplesFollowTheSliverWhileItsCounterFilesStayOpen() {
        backend.create(new SliverSpec("iota", Limits.NONE));
        assertEquals(SliverState.IDLE, usageOf("iota").state()); // opens the counters on an empty cgroup

        backend.launch("iota", ProgramSpec.of("sleep", "60"));
        SliverUsage one = usageOf("iota");
        backend.launch("iota", ProgramSpec.of("sleep", "60"));
        SliverUsage two = usageOf("iota");
        backend.stop("iota", Duration.ofSeconds(5)); // not kill: its orphans could linger as zombies, counted by pids.current
        // A process that is still being reaped may count for a moment on a busy machine.
        TestCgroups.await(Duration.ofSeconds(5), () -> usageOf("iota").processes() == 0, "the stopped sliver's processes gone");
        SliverUsage none = usageOf("iota");

        assertEquals(SliverState.RUNNING, one.state());
        assertEquals(2, one.processes(), "supervisor and sleep");
        assertEquals(4, two.processes());
        assertEquals(SliverState.IDLE, none.state(), "pids.current is read afresh, not from a stale open file");
        assertEquals(2, events.of(Kind.PROGRAM_EXITED, "iota").size());
    }

    @Test
    void aProcessLeftBehindByAnEndedProgramKeepsTheSliverRunning() {
        backend.create(new SliverSpec("kappa", Limits.NONE));
        backend.launch("kappa", ProgramSpec.of("sh", "-c", "sleep 60 >/dev/null 2>&1 & exit 6"));
        TestCgroups.await(Duration.ofSeconds(5), () -> {
            backend.usage();
            return !events.exits("kappa", "p1").isEmpty();
        }, "p1 to exit");
        // The supervisor is gone, the daemon is not: found through cgroup.procs, as no supervisor is left to say so.
        TestCgroups.await(Duration.ofSeconds(5), () -> usageOf("kappa").processes() == 1, "only the daemon charged");
        assertEquals(6, events.exits("kappa", "p1").get(0).exitCode());
        assertEquals(SliverState.RUNNING, usageOf("kappa").state());

        backend.kill("kappa");
        TestCgroups.await(Duration.ofSeconds(5), () -> usageOf("kappa").processes() == 0, "the daemon reaped");
        assertEquals(SliverState.IDLE, usageOf("kappa").state());
    }

    @Test
    void stopLetsAProgramEndOnItsOwnWithinTheGrace() {
        backend.create(new SliverSpec("gamma", Limits.NONE));
        backend.launch("gamma", ProgramSpec.of("sh", "-c", "trap 'exit 7' TERM; while :; do sleep 0.05; done"));
        TestCgroups.await(Duration.ofSeconds(5), () -> cgroups.processesIn("gamma").size() >= 3, "the program's loop");

        long started = System.nanoTime();
        backend.stop("gamma", Duration.ofSeconds(10));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(tookMillis < 3000, "stop returned when the program ended, not after the grace: " + tookMillis + " ms");
        assertEquals(List.of(), cgroups.processesIn("gamma"));
        backend.usage();
        assertEquals(7, events.exits("gamma", "p1").get(0).exitCode(), "the program's own exit code");
        assertTrue(backend.find("gamma").isPresent(), "the sliver stays");
    }

    @Test
    void stopKillsWhatIgnoresTermAfterTheGrace() {
        backend.create(new SliverSpec("delta", Limits.NONE));
        backend.launch("delta", ProgramSpec.of("sh", "-c", "trap '' TERM; sleep 60"));
        TestCgroups.await(Duration.ofSeconds(5), () -> cgroups.processesIn("delta").size() >= 3, "sleep started");

        long started = System.nanoTime();
        backend.stop("delta", Duration.ofMillis(400));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(tookMillis >= 400 && tookMillis < 3000, "waited the grace, then killed: " + tookMillis + " ms");
        assertEquals(List.of(), cgroups.processesIn("delta"));
        backend.usage();
        assertEquals(137, events.exits("delta", "p1").get(0).exitCode());
        assertEquals(SliverState.IDLE, usageOf("delta").state());
    }

    @Test
    void killEndsEverythingAtOnceAndTheSliverCanRunAgain() {
        backend.create(new SliverSpec("eps", Limits.NONE));
        backend.launch("eps", ProgramSpec.of("sh", "-c", "trap '' TERM; sleep 60 & sleep 60"));
        TestCgroups.await(Duration.ofSeconds(5), () -> cgroups.processesIn("eps").size() >= 4, "sleeps started");

        backend.kill("eps");

        assertEquals(List.of(), cgroups.processesIn("eps"));
        backend.usage();
        assertEquals(137, events.exits("eps", "p1").get(0).exitCode());
        ProgramInfo again = backend.launch("eps", ProgramSpec.of("true"));
        assertEquals("p2", again.id());
        awaitExit("eps", "p2");
        assertEquals(0, events.exits("eps", "p2").get(0).exitCode());
        backend.kill("eps"); // an empty sliver: nothing to do
    }

    @Test
    void resizeChangesTheKernelsLimitsInPlaceAndKeepsTheProcesses() throws Exception {
        backend.create(new SliverSpec("eta", new Limits(0.2, 50, 64 * MIB, 20, null)));
        ProgramInfo sleeper = backend.launch("eta", ProgramSpec.of("sleep", "60"));

        SliverInfo resized = backend.resize("eta", new Limits(1.0, null, 128 * MIB, null, 5 * MIB));

        assertEquals(new Limits(1.0, null, 128 * MIB, null, 5 * MIB), resized.limits());
        assertEquals(resized.limits(), backend.find("eta").orElseThrow().limits());
        if (cgroups.isV1()) {
            assertEquals("100000", read(cgroups.dir("cpu", "eta").resolve("cpu.cfs_quota_us")));
            assertEquals("1024", read(cgroups.dir("cpu", "eta").resolve("cpu.shares")));
            assertEquals(Long.toString(128 * MIB), read(cgroups.dir("memory", "eta").resolve("memory.limit_in_bytes")));
            assertEquals("max", read(cgroups.dir("pids", "eta").resolve("pids.max")));
        }
        assertTrue(TestCgroups.alive(sleeper.pid()), "the program runs on");

        assertReason(Reason.INVALID_LIMIT, () -> backend.resize("eta", Limits.NONE.withCpuCores(backend.capacity().cores() + 1.0)));
        assertEquals(resized.limits(), backend.find("eta").orElseThrow().limits(), "a refused resize changes nothing");
        assertReason(Reason.UNKNOWN_SLIVER, () -> backend.resize("nosuch", Limits.NONE));
    }

    @Test
    void aResizeTheKernelRefusesIsRolledBack() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(cgroups.isV1(), "v1 refuses a memory limit below use; v2 OOM-kills instead");
        backend.create(new SliverSpec("theta", new Limits(0.2, null, 256 * MIB, null, null)));
        backend.launch("theta", ProgramSpec.of("sh", "-c", "x=$(head -c 50000000 /dev/zero | tr '\\0' a); sleep 60"));
        TestCgroups.await(Duration.ofSeconds(10), () -> usageOf("theta").memoryBytes() > 45_000_000, "50 MB in use");

        VmmException refused = assertThrows(VmmException.class,
                () -> backend.resize("theta", new Limits(0.3, null, 8 * MIB, null, null)));

        assertEquals(Reason.BACKEND_FAILURE, refused.reason());
        assertTrue(refused.getMessage().contains("memory.limit_in_bytes"), refused.getMessage());
        assertEquals("20000", read(cgroups.dir("cpu", "theta").resolve("cpu.cfs_quota_us")), "cpu back to 0.2");
        assertEquals(new Limits(0.2, null, 256 * MIB, null, null), backend.find("theta").orElseThrow().limits());
    }

    @Test
    void badInputIsAClearErrorAndLeavesNothing() throws Exception {
        assertReason(Reason.INVALID_NAME, () -> new SliverSpec("Bad Name", Limits.NONE));
        assertReason(Reason.INVALID_NAME, () -> new SliverSpec("../etc", Limits.NONE));
        for (String name : new String[] {"../etc", "", "A", "x/y", "a".repeat(64)}) {
            assertReason(Reason.INVALID_NAME, () -> backend.destroy(name));
            assertReason(Reason.INVALID_NAME, () -> backend.launch(name, ProgramSpec.of("true")));
            assertReason(Reason.INVALID_NAME, () -> backend.stop(name, Duration.ZERO));
            assertReason(Reason.INVALID_NAME, () -> backend.kill(name));
            assertReason(Reason.INVALID_NAME, () -> backend.resize(name, Limits.NONE));
            assertReason(Reason.INVALID_NAME, () -> backend.find(name));
        }
        assertReason(Reason.INVALID_LIMIT, () -> new Limits(-1.0, null, null, null, null));
        assertReason(Reason.INVALID_LIMIT, () -> new Limits(null, null, 1000L, null, null));
        assertReason(Reason.INVALID_LIMIT, () -> new Limits(null, null, null, -5, null));

        int cores = backend.capacity().cores();
        long memory = backend.capacity().memoryBytes();
        assertReason(Reason.INVALID_LIMIT, () -> backend.create(new SliverSpec("toomuch", Limits.NONE.withCpuCores(cores + 1.0))));
        assertReason(Reason.INVALID_LIMIT, () -> backend.create(new SliverSpec("toomuch", Limits.NONE.withMemoryBytes(memory * 2))));
        assertReason(Reason.INVALID_LIMIT, () -> backend.create(new SliverSpec("toomuch", Limits.NONE.withDiskBytes(Long.MAX_VALUE))));
        // Accepted by Limits, refused by the kernel's 1 ms minimum: fails after the cgroup was made.
        assertReason(Reason.INVALID_LIMIT, () -> backend.create(new SliverSpec("toomuch", Limits.NONE.withCpuCores(0.0001))));
        assertNothingLeftOf("toomuch");
        assertEquals(List.of(), events.of(Kind.CREATED, "toomuch"));

        assertReason(Reason.UNKNOWN_SLIVER, () -> backend.destroy("nosuch"));
        assertReason(Reason.UNKNOWN_SLIVER, () -> backend.launch("nosuch", ProgramSpec.of("true")));
        assertReason(Reason.UNKNOWN_SLIVER, () -> backend.stop("nosuch", Duration.ZERO));

        backend.create(new SliverSpec("zeta", Limits.NONE.withMaxProcesses(10)));
        assertReason(Reason.ALREADY_EXISTS, () -> backend.create(new SliverSpec("zeta", Limits.NONE)));
        assertEquals(10, backend.find("zeta").orElseThrow().limits().maxProcesses(), "the first one is untouched");

        Path home = state.resolve("slivers/zeta/home");
        Files.writeString(home.resolve("data.txt"), "not a program");
        Files.createDirectory(home.resolve("dir"));
        assertLaunchFails("no-such-command-xyz", ProgramSpec.of("no-such-command-xyz"));
        assertLaunchFails("not found", ProgramSpec.of("/nonexistent/prog"));
        assertLaunchFails("not executable", ProgramSpec.of("./data.txt"));
        assertLaunchFails("not a file", ProgramSpec.of("./dir"));
        assertLaunchFails("not found on PATH /nowhere", new ProgramSpec(List.of("ls"), Map.of("PATH", "/nowhere"), ""));
        assertLaunchFails("does not exist", new ProgramSpec(List.of("true"), Map.of(), "missing/dir"));
        assertReason(Reason.INVALID_PROGRAM, () -> new ProgramSpec(List.of("true"), Map.of(), "../.."));
        assertEquals(List.of(), backend.find("zeta").orElseThrow().programs(), "no program record left");
        assertFalse(Files.exists(state.resolve("slivers/zeta/programs/p1")));

        assertEquals("p1", backend.launch("zeta", ProgramSpec.of("true")).id(), "failed launches used no id");
    }

    @Test
    void failedCreationLeavesNothingBehind() {
        backend.close();
        backend = new LinuxBackend(cgroups.context(state, events), new LinuxSettings(cgroups.root, 30, 10),
                new FailingDriver(cgroups.driver, "apply"), Supervisor.locate());

        VmmException failure = assertThrows(VmmException.class,
                () -> backend.create(new SliverSpec("broken", new Limits(0.5, null, 64 * MIB, 10, null))));

        assertTrue(failure.getMessage().contains("injected failure in apply"), failure.getMessage());
        assertNothingLeftOf("broken");
        assertTrue(backend.list().isEmpty());
        assertEquals(List.of(), events.of(Kind.CREATED, "broken"));

        backend.close();
        backend = cgroups.open(state, events);
        backend.create(new SliverSpec("broken", Limits.NONE));
        assertTrue(backend.find("broken").isPresent(), "the name is free again");
    }

    @Test
    void aCgroupThatCannotBeMadeInOneHierarchyIsUndoneInTheOthers() throws IOException {
        List<Path> dirs = cgroups.dirs("clash");
        Path last = dirs.get(dirs.size() - 1);
        Files.createDirectory(last); // someone else's cgroup of that name, in the last hierarchy made

        assertReason(Reason.ALREADY_EXISTS, () -> backend.create(new SliverSpec("clash", Limits.NONE)));

        for (Path dir : dirs.subList(0, dirs.size() - 1)) {
            assertFalse(Files.exists(dir), dir + " was removed");
        }
        assertTrue(Files.isDirectory(last), "the cgroup that was there before is left alone");
        assertFalse(Files.exists(state.resolve("slivers/clash")), "no sliver directory");
        Files.delete(last);
        backend.create(new SliverSpec("clash", Limits.NONE));
    }

    private void assertNothingLeftOf(String sliver) {
        for (Path dir : cgroups.dirs(sliver)) {
            assertFalse(Files.exists(dir), dir + " was removed");
        }
        assertFalse(Files.exists(state.resolve("slivers").resolve(sliver)), "no sliver directory");
    }

    private void assertLaunchFails(String expectedInMessage, ProgramSpec program) {
        VmmException e = assertThrows(VmmException.class, () -> backend.launch("zeta", program));
        assertEquals(Reason.LAUNCH_FAILED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    static void assertReason(Reason reason, Executable call) {
        VmmException e = assertThrows(VmmException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private void awaitExit(String sliver, String programId) {
        TestCgroups.await(Duration.ofSeconds(10), () -> {
            backend.usage();
            return !events.exits(sliver, programId).isEmpty();
        }, sliver + "/" + programId + " to exit");
    }

    private SliverUsage usageOf(String sliver) {
        return backend.usage().stream().filter(u -> u.name().equals(sliver)).findFirst().orElseThrow();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    private static String ownSession() throws IOException {
        return Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ")[3];
    }
}
