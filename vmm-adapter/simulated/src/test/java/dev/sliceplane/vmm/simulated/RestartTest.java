package dev.sliceplane.vmm.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;

/** A re-opened simulated backend re-attaches to its slivers and carries on as if it had never closed. */
class RestartTest {

    @TempDir
    Path tmp;

    @Test
    void reopeningReattachesAndContinuesExactly() {
        // One backend runs the whole scenario ...
        List<List<SliverUsage>> usage = new ArrayList<>();
        List<NodeStatus> node = new ArrayList<>();
        List<VmmEvent> events;
        try (Sim sim = Sim.open(tmp.resolve("straight"), Scenario.settings(42, true))) {
            Scenario.setUp(sim);
            Scenario.run(sim, 0, Scenario.PASSES, usage, node);
            events = List.copyOf(sim.events);
        }
        // ... another is closed and re-opened twice on the way.
        VirtualClock clock = new VirtualClock(Sim.START);
        List<List<SliverUsage>> usage2 = new ArrayList<>();
        List<NodeStatus> node2 = new ArrayList<>();
        List<VmmEvent> events2 = new ArrayList<>();
        List<SliverInfo> before;
        Path dir = tmp.resolve("restarted");
        try (Sim sim = Sim.open(dir, Scenario.settings(42, true), clock)) {
            Scenario.setUp(sim);
            Scenario.run(sim, 0, 120, usage2, node2);
            events2.addAll(sim.events);
            before = sim.backend.list();
        }
        try (Sim sim = Sim.open(dir, Scenario.settings(42, true), clock)) {
            assertEquals(before, sim.backend.list(), "the same slivers, limits and programs");
            assertTrue(sim.events.isEmpty(), "nothing re-reported: " + sim.events);
            Scenario.run(sim, 120, 205, usage2, node2);
            events2.addAll(sim.events);
        }
        try (Sim sim = Sim.open(dir, Scenario.settings(42, true), clock)) {
            Scenario.run(sim, 205, Scenario.PASSES, usage2, node2);
            events2.addAll(sim.events);
        }
        assertEquals(usage, usage2);
        assertEquals(node, node2);
        assertEquals(events, events2);
    }

    @Test
    void sliversOutliveTheBackendAndKeepRunningWhileItIsClosed() {
        Path dir = tmp.resolve("node");
        SliverUsage last;
        try (Sim sim = Sim.open(dir, Sim.settings("seed", "4"))) {
            sim.backend.create(new SliverSpec("web", Limits.NONE.withCpuCores(1.0)));
            sim.backend.launch("web", ProgramSpec.of("/bin/server"));
            last = sim.usage(sim.step(60), "web");
        }
        VirtualClock later = new VirtualClock(Sim.START.plus(Duration.ofHours(1)));
        try (Sim sim = Sim.open(dir, Sim.settings("seed", "4"), later)) {
            SliverUsage now = sim.usage(sim.step(10), "web");
            assertEquals(dev.sliceplane.vmm.api.SliverState.RUNNING, now.state());
            assertTrue(now.cpuSeconds() > last.cpuSeconds() + 60, "it ran while the backend was closed");
            assertTrue(sim.events.isEmpty());
        }
    }

    @Test
    void aCrashedBackendLosesNoSliverAndRepeatsNoEvent() {
        Path dir = tmp.resolve("node");
        Sim crashed = Sim.open(dir, Sim.settings("seed", "4"));
        crashed.backend.create(new SliverSpec("a", Limits.NONE));
        crashed.backend.launch("a", ProgramSpec.of("/bin/x"));
        crashed.step(10);
        crashed.backend.kill("a");
        crashed.backend.launch("a", ProgramSpec.of("/bin/y"));
        crashed.step(10);
        List<SliverInfo> before = crashed.backend.list();
        // no close(): the JVM "died" here
        try (Sim sim = Sim.open(dir, Sim.settings("seed", "4"), crashed.clock)) {
            assertEquals(before, sim.backend.list());
            assertTrue(sim.events.isEmpty(), "the exit of p1 was reported before: " + sim.events);
            sim.step(10);
        }
    }

    @Test
    void anExitTheJvmDidNotGetToReportIsReportedOnReopening() throws IOException {
        Path dir = tmp.resolve("node");
        try (Sim sim = Sim.open(dir, Sim.settings())) {
            sim.backend.create(new SliverSpec("a", Limits.NONE));
            sim.backend.launch("a", ProgramSpec.of("/bin/x"));
            sim.clock.advance(Duration.ofSeconds(30));
            sim.backend.stop("a", Duration.ZERO);
        }
        // As if the JVM died between writing the exit and sending the event:
        Path record = dir.resolve("slivers/a/sliver.json");
        String json = Files.readString(record);
        assertTrue(json.contains("\"exitReported\" : true"), json);
        Files.writeString(record, json.replace("\"exitReported\" : true", "\"exitReported\" : false"));
        try (Sim sim = Sim.open(dir, Sim.settings())) {
            assertEquals(List.of(VmmEvent.programExited("a", Sim.START.plusSeconds(30), "p1", 143)), sim.events);
        }
        try (Sim sim = Sim.open(dir, Sim.settings())) {
            assertTrue(sim.events.isEmpty(), "once only");
        }
    }

    @Test
    void orphansAreReportedAndLeftAlone() throws IOException {
        Path dir = tmp.resolve("node");
        try (Sim sim = Sim.open(dir, Sim.settings())) {
            sim.backend.create(new SliverSpec("kept", Limits.NONE));
        }
        Files.createDirectories(dir.resolve("slivers/norecord/home"));
        Files.createDirectories(dir.resolve("slivers/garbled"));
        Files.writeString(dir.resolve("slivers/garbled/sliver.json"), "{ not json");
        try (Sim sim = Sim.open(dir, Sim.settings())) {
            assertEquals(List.of("kept"), sim.backend.list().stream().map(SliverInfo::name).toList());
            List<VmmEvent> orphans = Sim.of(sim.events, VmmEvent.Kind.ORPHAN_FOUND);
            assertEquals(List.of("garbled", "norecord"), orphans.stream().map(VmmEvent::sliver).toList());
            assertTrue(orphans.stream().allMatch(e -> e.message().startsWith("SIMULATION:")));
            assertEquals(2, sim.events.size());
        }
        assertTrue(Files.isDirectory(dir.resolve("slivers/norecord/home")));
        assertEquals("{ not json", Files.readString(dir.resolve("slivers/garbled/sliver.json")));
    }

    @Test
    void aNewSeedKeepsTheCurvesOfExistingSlivers() {
        Path dir = tmp.resolve("node");
        try (Sim sim = Sim.open(dir, Sim.settings("seed", "1"))) {
            sim.backend.create(new SliverSpec("old", Limits.NONE));
            sim.backend.launch("old", ProgramSpec.of("/bin/x"));
        }
        List<SliverUsage> reseeded = new ArrayList<>();
        try (Sim sim = Sim.open(dir, Sim.settings("seed", "2"))) {
            for (int i = 0; i < 20; i++) {
                reseeded.add(sim.usage(sim.step(10), "old"));
            }
        }
        List<SliverUsage> original = new ArrayList<>();
        try (Sim sim = Sim.open(tmp.resolve("other"), Sim.settings("seed", "1"))) {
            sim.backend.create(new SliverSpec("old", Limits.NONE));
            sim.backend.launch("old", ProgramSpec.of("/bin/x"));
            for (int i = 0; i < 20; i++) {
                original.add(sim.usage(sim.step(10), "old"));
            }
        }
        assertEquals(original, reseeded);
    }
}
