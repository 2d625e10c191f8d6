package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmEvent.Kind;

/** A backend closed and opened again on the same state directory: re-attach, events once, orphans. */
class RestartTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

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
    void aRestartReattachesUsageContinuesAndTheLaterExitIsReportedOnce() {
        h.backend.create(new SliverSpec("survivor", Limits.NONE.withMemoryBytes(512L << 20)));
        // burns CPU in short-lived children for about two seconds, then exits with 7
        h.backend.launch("survivor", ProgramSpec.of("/bin/sh", "-c",
                "end=$(( $(date +%s) + 2 )); while [ $(date +%s) -lt $end ]; do :; done; exit 7"));
        Harness.sleep(700);
        SliverUsage before = h.usage("survivor");
        assertEquals(SliverState.RUNNING, before.state());
        assertTrue(before.cpuSeconds() > 0.1, "cpu " + before.cpuSeconds());
        long pid = h.program("survivor", "p1").pid();

        h.reopen();

        assertTrue(h.program("survivor", "p1").running(), "re-attached, not killed");
        assertEquals(pid, h.program("survivor", "p1").pid());
        assertTrue(Harness.proc(pid).map(Harness.Proc::alive).orElse(false));
        SliverUsage after = h.usage("survivor");
        assertTrue(after.cpuSeconds() >= before.cpuSeconds(), after.cpuSeconds() + " < " + before.cpuSeconds());
        assertEquals(SliverState.RUNNING, after.state());

        assertEquals(7, h.awaitExit("survivor", "p1", WAIT).exitCode());
        SliverUsage done = h.usage("survivor");
        assertTrue(done.cpuSeconds() >= after.cpuSeconds());
        SupervisorTimes times = SupervisorTimes.read(state.resolve("slivers/survivor/programs/p1/times")).orElseThrow();
        assertEquals(times.ownSeconds() + times.childSeconds(), done.cpuSeconds(), 0.05,
                "across the restart, nothing lost and nothing counted twice");
        assertTrue(done.memoryPeakBytes() > 0);

        h.reopen();
        h.backend.usage();
        assertEquals(done.cpuSeconds(), h.usage("survivor").cpuSeconds(), 0.01, "monotonic and kept across restarts");
        List<VmmEvent> exits = h.events(Kind.PROGRAM_EXITED, "survivor");
        assertEquals(1, exits.size(), exits.toString());
        assertEquals(7, exits.get(0).exitCode());
        assertEquals(1, h.events(Kind.CREATED, "survivor").size());
        assertTrue(h.events(Kind.ORPHAN_FOUND, "survivor").isEmpty());
    }

    @Test
    void anExitWhileNoBackendWasOpenIsReportedAtTheNextOpen() {
        h.backend.create(new SliverSpec("quick", Limits.NONE));
        h.backend.launch("quick", ProgramSpec.of("/bin/sh", "-c", "sleep 0.3; exit 4"));
        h.backend.close();
        Harness.await("the exit file", WAIT, () -> Files.exists(state.resolve("slivers/quick/programs/p1/exit")));
        h.open();
        assertEquals(4, h.program("quick", "p1").exitCode());
        h.reopen();
        assertEquals(1, h.events(Kind.PROGRAM_EXITED, "quick").size());
    }

    @Test
    void orphansAreReportedOnceAndLeftAlone() throws IOException {
        h.backend.create(new SliverSpec("kept", Limits.NONE));
        h.backend.launch("kept", ProgramSpec.of("sleep", "300"));
        h.backend.launch("kept", ProgramSpec.of("sleep", "300"));
        long unrecorded = h.program("kept", "p2").pid();
        List<Long> sessions = h.sessions("kept");
        h.backend.close();

        // a directory without a record, a program record lost, and a supervisor killed behind our back
        Files.createDirectories(state.resolve("slivers/stray/home"));
        Files.delete(state.resolve("slivers/kept/programs/p2/program.json"));
        h.open();

        List<VmmEvent> orphans = h.events.stream().filter(e -> e.kind() == Kind.ORPHAN_FOUND).toList();
        assertEquals(3, orphans.size(), orphans.toString());
        assertTrue(orphans.stream().anyMatch(e -> e.sliver().equals("stray")));
        assertTrue(orphans.stream().anyMatch(e -> e.message().contains("p2") && e.message().contains("no readable")));
        assertTrue(orphans.stream().anyMatch(e -> e.message().contains("supervisor pid " + sessions.get(1))));
        assertTrue(Files.isDirectory(state.resolve("slivers/stray")), "left alone");
        assertTrue(Harness.proc(unrecorded).map(Harness.Proc::alive).orElse(false), "left alone");
        assertEquals(List.of("kept"), h.backend.list().stream().map(s -> s.name()).toList());

        h.reopen();
        assertEquals(3, h.events.stream().filter(e -> e.kind() == Kind.ORPHAN_FOUND).count(), "reported once");

        // clean up what the test made the backend lose track of
        h.backend.kill("kept");
        Harness.processes().stream().filter(p -> p.session() == sessions.get(1))
                .forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void aProgramWhoseSupervisorVanishedEndsWithAnUnknownCodeReportedOnce() throws IOException {
        h.backend.create(new SliverSpec("lost", Limits.NONE));
        h.backend.launch("lost", ProgramSpec.of("sleep", "300"));
        List<Long> sessions = h.sessions("lost");
        h.backend.close();
        // as after a reboot: the record says another boot
        Path record = state.resolve("slivers/lost/programs/p1/program.json");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(record.toFile());
        json.put("bootId", "another-boot");
        Files.writeString(record, json.toString());
        h.open();

        assertEquals(ExitTracker.UNKNOWN_EXIT, h.program("lost", "p1").exitCode());
        List<VmmEvent> exits = h.events(Kind.PROGRAM_EXITED, "lost");
        assertEquals(1, exits.size());
        assertEquals(-1, exits.get(0).exitCode());
        assertEquals(1, h.events(Kind.ORPHAN_FOUND, "lost").size());
        h.reopen();
        assertEquals(1, h.events(Kind.PROGRAM_EXITED, "lost").size());

        Harness.processes().stream().filter(p -> sessions.contains(p.session()))
                .forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void aDestroyedSliverStaysDestroyedAcrossARestart() {
        h.backend.create(new SliverSpec("gone", Limits.NONE));
        h.backend.launch("gone", ProgramSpec.of("sleep", "300"));
        h.backend.destroy("gone");
        h.reopen();
        assertTrue(h.backend.find("gone").isEmpty());
        assertEquals(1, h.events(Kind.DESTROYED, "gone").size());
        assertTrue(h.events(Kind.ORPHAN_FOUND, "gone").isEmpty());
    }
}
