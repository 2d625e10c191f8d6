package dev.sliceplane.vmm.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;

class DeterminismTest {

    @TempDir
    Path tmp;

    @Test
    void sameSeedAndCallsGiveIdenticalResults() {
        Scenario.Trace a;
        Scenario.Trace b;
        try (Sim one = Sim.open(tmp.resolve("a"), Scenario.settings(42, true))) {
            a = Scenario.fullRun(one);
        }
        try (Sim two = Sim.open(tmp.resolve("b"), Scenario.settings(42, true))) {
            b = Scenario.fullRun(two);
        }
        assertNotTrivial(a);
        assertEquals(a.usage().size(), b.usage().size());
        for (int i = 0; i < a.usage().size(); i++) {
            assertEquals(a.usage().get(i), b.usage().get(i), "usage of pass " + i);
            assertEquals(a.node().get(i), b.node().get(i), "node status of pass " + i);
        }
        assertEquals(a.events(), b.events());
    }

    @Test
    void persistingDoesNotChangeTheModel() {
        Scenario.Trace persisted;
        Scenario.Trace inMemory;
        try (Sim one = Sim.open(tmp.resolve("a"), Scenario.settings(7, true))) {
            persisted = Scenario.fullRun(one);
        }
        try (Sim two = Sim.open(tmp.resolve("b"), Scenario.settings(7, false))) {
            inMemory = Scenario.fullRun(two);
        }
        assertEquals(persisted, inMemory);
        assertFalse(tmp.resolve("b").toFile().exists(), "persist=false writes nothing");
    }

    @Test
    void anotherSeedGivesOtherResults() {
        Scenario.Trace a;
        Scenario.Trace b;
        try (Sim one = Sim.open(tmp.resolve("a"), Scenario.settings(42, false))) {
            a = Scenario.fullRun(one);
        }
        try (Sim two = Sim.open(tmp.resolve("b"), Scenario.settings(43, false))) {
            b = Scenario.fullRun(two);
        }
        assertNotEquals(a.usage().get(0), b.usage().get(0));
        assertNotEquals(a.node().get(Scenario.PASSES - 1), b.node().get(Scenario.PASSES - 1));
        assertNotEquals(a.events(), b.events());
    }

    @Test
    void aSliversCurveDoesNotDependOnCreationOrder() {
        List<SliverUsage> forward = alphaUsage(tmp.resolve("f"), List.of("alpha", "beta", "gamma"));
        List<SliverUsage> backward = alphaUsage(tmp.resolve("b"), List.of("gamma", "beta", "alpha"));
        assertEquals(forward, backward);
        assertTrue(forward.get(forward.size() - 1).cpuSeconds() > 0);
    }

    /** On a node too big to be contended, alpha's usage whatever else exists. */
    private static List<SliverUsage> alphaUsage(Path dir, List<String> order) {
        try (Sim sim = Sim.open(dir, Sim.settings("seed", "5", "cores", "64", "memoryBytes", "256GiB",
                "persist", "false"))) {
            for (String name : order) {
                sim.backend.create(new SliverSpec(name, Limits.NONE));
                sim.backend.launch(name, ProgramSpec.of("/bin/work"));
            }
            List<SliverUsage> alpha = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                alpha.add(sim.usage(sim.step(10), "alpha"));
            }
            return alpha;
        }
    }

    /** The scenario must exercise what it claims to, or comparing traces proves little. */
    private static void assertNotTrivial(Scenario.Trace t) {
        List<VmmEvent> e = t.events();
        assertFalse(Sim.of(e, VmmEvent.Kind.LIMIT_EXCEEDED, Limit.MEMORY).isEmpty(), "OOM kills");
        assertFalse(Sim.of(e, VmmEvent.Kind.LIMIT_EXCEEDED, Limit.PROCESSES).isEmpty(), "refused forks");
        assertTrue(Sim.of(e, VmmEvent.Kind.PROGRAM_EXITED).stream().anyMatch(x -> x.exitCode() == 143), "stops");
        assertTrue(Sim.of(e, VmmEvent.Kind.PROGRAM_EXITED).stream().anyMatch(x -> x.exitCode() == 139), "crashes");
        assertEquals(1, Sim.of(e, VmmEvent.Kind.DESTROYED).size());
        assertEquals(15, Sim.of(e, VmmEvent.Kind.CREATED).size());
        // contended: the node's cores were all busy at some pass
        assertTrue(t.node().stream().anyMatch(n -> n.cpuBusy() != null && n.cpuBusy() > 0.99), "contention");
    }
}
