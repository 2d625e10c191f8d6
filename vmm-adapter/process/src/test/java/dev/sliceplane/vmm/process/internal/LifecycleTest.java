package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.VmmEvent.Kind;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.api.VmmException.Reason;

/** Create, launch, stop, kill, destroy, and bad input, on real processes. */
class LifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path state;
    Harness h;

    @BeforeEach
    void open() {
        h = new Harness(state).open();
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aProgramRunsInItsOwnSessionWithItsEnvironmentAndItsExitIsReportedOnce() {
        SliverInfo created = h.backend.create(new SliverSpec("princeton_codeen", Limits.NONE));
        assertEquals(state.resolve("slivers/princeton_codeen/home").toAbsolutePath(), created.home());
        assertEquals(1, h.events(Kind.CREATED, "princeton_codeen").size());

        ProgramInfo launched = h.backend.launch("princeton_codeen", new ProgramSpec(List.of("/bin/sh", "-c",
                "echo \"$HOME $SLIVER $GREETING $(pwd)\"; echo oops >&2; ps -o sid= -p $$; exit 3"),
                Map.of("GREETING", "hello", "SLIVER", "not-overridable"), ""));
        assertEquals("p1", launched.id());
        assertTrue(launched.running());

        ProgramInfo ended = h.awaitExit("princeton_codeen", "p1", WAIT);
        assertEquals(3, ended.exitCode());
        String[] out = Harness.read(ended.stdout()).split("\n");
        String home = created.home().toString();
        assertEquals(home + " princeton_codeen hello " + home, out[0]);
        assertNotEquals(Harness.proc(ProcessHandle.current().pid()).orElseThrow().session(),
                Long.parseLong(out[1].trim()), "the program must not share the node's session");
        assertEquals("oops\n", Harness.read(ended.stderr()));
        assertEquals("3\n", Harness.read(state.resolve("slivers/princeton_codeen/programs/p1/exit")));

        h.backend.usage();
        h.backend.usage();
        List<dev.sliceplane.vmm.api.VmmEvent> exits = h.events(Kind.PROGRAM_EXITED, "princeton_codeen");
        assertEquals(1, exits.size());
        assertEquals("p1", exits.get(0).programId());
        assertEquals(3, exits.get(0).exitCode());
        assertEquals(SliverState.IDLE, h.usage("princeton_codeen").state());
    }

    @Test
    void argumentsReachTheProgramExactlyAsGiven() {
        h.backend.create(new SliverSpec("args", Limits.NONE));
        List<String> tricky = List.of("a b", "$HOME", "\"quoted\"", "semi;colon", "back`tick`", "new\nline", "");
        List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", "-c", "for a; do printf '[%s]' \"$a\"; done", "sh"));
        command.addAll(tricky);
        h.backend.launch("args", new ProgramSpec(command, Map.of(), ""));
        ProgramInfo ended = h.awaitExit("args", "p1", WAIT);
        assertEquals("[a b][$HOME][\"quoted\"][semi;colon][back`tick`][new\nline][]", Harness.read(ended.stdout()));
    }

    @Test
    void aProgramRunsInItsWorkingDirectoryAndFindsCommandsOnPath() throws IOException {
        SliverInfo s = h.backend.create(new SliverSpec("workdir", Limits.NONE));
        Files.createDirectories(s.home().resolve("sub/dir"));
        h.backend.launch("workdir", new ProgramSpec(List.of("pwd"), Map.of(), "sub/dir"));
        assertEquals(s.home().resolve("sub/dir") + "\n", Harness.read(h.awaitExit("workdir", "p1", WAIT).stdout()));
    }

    @Test
    void aCommandThatCannotStartIsRefusedAndLeavesNothingBehind() throws IOException {
        SliverInfo s = h.backend.create(new SliverSpec("nostart", Limits.NONE));
        Path notExecutable = Files.writeString(s.home().resolve("data.txt"), "not a program");
        Path badInterpreter = Files.writeString(s.home().resolve("script"), "#!/no/such/interpreter\necho hi\n");
        Files.setPosixFilePermissions(badInterpreter, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectory(s.home().resolve("adir"));

        for (List<String> command : List.of(List.of("no-such-command-xyz"), List.of("/no/such/file"),
                List.of("./data.txt"), List.of(notExecutable.toString()), List.of("./script"), List.of("./adir"))) {
            VmmException e = assertThrows(VmmException.class,
                    () -> h.backend.launch("nostart", new ProgramSpec(command, Map.of(), "")), command.toString());
            assertEquals(Reason.LAUNCH_FAILED, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(command.get(0).replace(s.home() + "/", "")), e.getMessage());
        }
        VmmException missingDir = assertThrows(VmmException.class,
                () -> h.backend.launch("nostart", new ProgramSpec(List.of("true"), Map.of(), "no/such/dir")));
        assertEquals(Reason.LAUNCH_FAILED, missingDir.reason());
        Files.createSymbolicLink(s.home().resolve("escape"), Path.of("/tmp"));
        assertEquals(Reason.INVALID_PROGRAM, assertThrows(VmmException.class,
                () -> h.backend.launch("nostart", new ProgramSpec(List.of("true"), Map.of(), "escape"))).reason());
        assertEquals(Reason.INVALID_PROGRAM, assertThrows(VmmException.class,
                () -> h.backend.launch("nostart", new ProgramSpec(List.of("true"), Map.of("A=B", "x"), ""))).reason());

        assertTrue(h.backend.find("nostart").orElseThrow().programs().isEmpty());
        try (var dirs = Files.list(state.resolve("slivers/nostart/programs"))) {
            assertEquals(0, dirs.count(), "no program record may be left");
        }
        assertTrue(h.events(Kind.PROGRAM_EXITED, "nostart").isEmpty());
        // the next good launch still works, and is p1
        assertEquals("p1", h.backend.launch("nostart", ProgramSpec.of("true")).id());
    }

    @Test
    void invalidNamesAndLimitsAreRefusedAndLeaveNothingBehind() throws IOException {
        for (String name : new String[] {"", "Upper", "1digit", "../escape", "a/b", "x".repeat(64), "sp ace"}) {
            assertEquals(Reason.INVALID_NAME, assertThrows(VmmException.class,
                    () -> h.backend.create(new SliverSpec(name, Limits.NONE))).reason(), name);
            assertEquals(Reason.INVALID_NAME, assertThrows(VmmException.class,
                    () -> h.backend.destroy(name)).reason(), name);
        }
        assertEquals(Reason.INVALID_LIMIT, assertThrows(VmmException.class,
                () -> new Limits(-1.0, null, null, null, null)).reason());
        assertEquals(Reason.INVALID_LIMIT, assertThrows(VmmException.class,
                () -> new Limits(null, null, 1L, null, null)).reason());
        assertEquals(Reason.INVALID_LIMIT, assertThrows(VmmException.class,
                () -> new Limits(null, null, null, 0, null)).reason());
        assertEquals(Reason.INVALID_LIMIT, assertThrows(VmmException.class,
                () -> new Limits(null, null, null, null, -5L)).reason());

        var capacity = h.backend.capacity();
        for (Limits beyond : List.of(Limits.NONE.withCpuCores(capacity.cores() + 1.0),
                Limits.NONE.withMemoryBytes(capacity.memoryBytes() + 1),
                Limits.NONE.withDiskBytes(capacity.diskBytes() + 1))) {
            VmmException e = assertThrows(VmmException.class, () -> h.backend.create(new SliverSpec("toobig", beyond)));
            assertEquals(Reason.INVALID_LIMIT, e.reason(), beyond.toString());
        }
        h.backend.create(new SliverSpec("fits", Limits.NONE));
        assertEquals(Reason.INVALID_LIMIT, assertThrows(VmmException.class,
                () -> h.backend.resize("fits", Limits.NONE.withCpuCores(capacity.cores() + 1.0))).reason());
        assertNull(h.backend.find("fits").orElseThrow().limits().cpuCores());

        try (var dirs = Files.list(state.resolve("slivers"))) {
            assertEquals(List.of("fits"), dirs.map(d -> d.getFileName().toString()).toList());
        }
        assertTrue(h.events(Kind.CREATED, "toobig").isEmpty());
    }

    @Test
    void anExistingNameOrAnUnknownSliverIsAClearError() {
        h.backend.create(new SliverSpec("twice", Limits.NONE));
        assertEquals(Reason.ALREADY_EXISTS, assertThrows(VmmException.class,
                () -> h.backend.create(new SliverSpec("twice", Limits.NONE))).reason());
        assertEquals(1, h.events(Kind.CREATED, "twice").size());

        assertEquals(Reason.UNKNOWN_SLIVER, assertThrows(VmmException.class, () -> h.backend.destroy("ghost")).reason());
        assertEquals(Reason.UNKNOWN_SLIVER, assertThrows(VmmException.class,
                () -> h.backend.launch("ghost", ProgramSpec.of("true"))).reason());
        assertEquals(Reason.UNKNOWN_SLIVER, assertThrows(VmmException.class, () -> h.backend.kill("ghost")).reason());
        assertEquals(Reason.UNKNOWN_SLIVER, assertThrows(VmmException.class,
                () -> h.backend.stop("ghost", Duration.ZERO)).reason());
        assertEquals(Reason.UNKNOWN_SLIVER, assertThrows(VmmException.class,
                () -> h.backend.resize("ghost", Limits.NONE)).reason());
        assertTrue(h.backend.find("ghost").isEmpty());
        assertTrue(h.events(Kind.DESTROYED, "ghost").isEmpty());
    }

    @Test
    void destroyLeavesNoProcessAndNoDirectory() {
        h.backend.create(new SliverSpec("doomed", Limits.NONE));
        // a tree, a process that left its parent (re-parented to init), and one stopped by someone
        h.backend.launch("doomed", ProgramSpec.of("/bin/sh", "-c",
                "sleep 300 & (sleep 300 &) ; sh -c 'kill -STOP $$; sleep 300' & wait"));
        h.backend.launch("doomed", ProgramSpec.of("sleep", "300"));
        List<Long> sessions = h.sessions("doomed");
        Harness.await("the sliver's processes", Duration.ofSeconds(5), () -> Harness.alive(sessions).size() >= 7);

        h.backend.destroy("doomed");

        assertEquals(List.of(), Harness.alive(sessions), "no process of the sliver may be left");
        assertFalse(Files.exists(state.resolve("slivers/doomed")));
        assertTrue(h.backend.find("doomed").isEmpty());
        assertEquals(1, h.events(Kind.DESTROYED, "doomed").size());
        assertEquals(2, h.events(Kind.PROGRAM_EXITED, "doomed").size(), "both exits are reported before DESTROYED");
        assertEquals(Kind.DESTROYED, h.events.get(h.events.size() - 1).kind());
        try (var trash = Files.list(state.resolve("trash"))) {
            assertEquals(0, trash.count());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void stopGivesTheGraceThenKillsWhatIsLeft() {
        h.backend.create(new SliverSpec("stubborn", Limits.NONE));
        h.backend.launch("stubborn", ProgramSpec.of("/bin/sh", "-c",
                "trap '' TERM; echo ready; while :; do sleep 0.05; done"));
        h.backend.launch("stubborn", ProgramSpec.of("sleep", "300"));
        Harness.await("the program to start", WAIT,
                () -> Harness.read(h.program("stubborn", "p1").stdout()).contains("ready"));
        List<Long> sessions = h.sessions("stubborn");

        long start = System.nanoTime();
        h.backend.stop("stubborn", Duration.ofMillis(700));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(tookMillis >= 650, "the grace is given: " + tookMillis + " ms");
        assertTrue(tookMillis < 5_000, "then it kills: " + tookMillis + " ms");
        assertEquals(List.of(), Harness.alive(sessions));
        assertEquals(128 + 9, h.program("stubborn", "p1").exitCode(), "killed after the grace");
        assertEquals(128 + 15, h.program("stubborn", "p2").exitCode(), "ended by SIGTERM");
        assertTrue(h.backend.find("stubborn").isPresent(), "the sliver stays");
        assertEquals(2, h.events(Kind.PROGRAM_EXITED, "stubborn").size());

        // it can run programs again
        h.backend.launch("stubborn", ProgramSpec.of("true"));
        assertEquals(0, h.awaitExit("stubborn", "p3", WAIT).exitCode());
    }

    @Test
    void stopReturnsAsSoonAsAWellBehavedProgramHasEnded() {
        h.backend.create(new SliverSpec("polite", Limits.NONE));
        h.backend.launch("polite", ProgramSpec.of("sleep", "300"));
        long start = System.nanoTime();
        h.backend.stop("polite", Duration.ofSeconds(30));
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
        assertEquals(128 + 15, h.program("polite", "p1").exitCode());
    }

    @Test
    void killEndsEverythingAtOnceEvenAForkingLoop() {
        h.backend.create(new SliverSpec("frantic", Limits.NONE));
        h.backend.launch("frantic", ProgramSpec.of("/bin/sh", "-c", "trap '' TERM; while :; do sleep 300 & done"));
        List<Long> sessions = h.sessions("frantic");
        Harness.await("the loop to fork", WAIT, () -> Harness.alive(sessions).size() > 50);
        h.backend.kill("frantic");
        assertEquals(List.of(), Harness.alive(sessions));
        assertEquals(128 + 9, h.program("frantic", "p1").exitCode());
    }
}
