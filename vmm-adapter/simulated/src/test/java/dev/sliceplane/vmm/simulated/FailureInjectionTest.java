package dev.sliceplane.vmm.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmException;

/** Injected failures take effect at the next pass and are reported exactly once. */
class FailureInjectionTest {

    private Sim sim;

    @BeforeEach
    void open() {
        sim = Sim.open(Path.of("target", "not-persisted"), Sim.settings("persist", "false"));
        sim.backend.create(new SliverSpec("web", new Limits(null, null, null, 64, null)));
        sim.backend.launch("web", ProgramSpec.of("/bin/server"));
        sim.backend.launch("web", ProgramSpec.of("/bin/worker"));
        sim.backend.create(new SliverSpec("idle", Limits.NONE));
        sim.step(10);
        sim.drain();
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void anInjectedOomKillKillsTheNewestProgram() {
        long memoryBefore = sim.usage(sim.backend.usage(), "web").memoryBytes();
        sim.backend.injectOomKill("web");
        assertTrue(sim.events.isEmpty(), "nothing happens before the next pass");
        SliverUsage u = sim.usage(sim.step(10), "web");
        List<VmmEvent> events = sim.drain();
        assertEquals(2, events.size(), events.toString());
        assertEquals(VmmEvent.Kind.LIMIT_EXCEEDED, events.get(0).kind());
        assertEquals(Limit.MEMORY, events.get(0).limit());
        assertTrue(events.get(0).message().contains("injected"));
        assertEquals(VmmEvent.Kind.PROGRAM_EXITED, events.get(1).kind());
        assertEquals("p2", events.get(1).programId());
        assertEquals(137, events.get(1).exitCode());
        assertEquals(1, u.oomKills());
        assertEquals(SliverState.RUNNING, u.state(), "p1 still runs");
        assertTrue(memoryBefore > 0);
        assertNoMoreEvents();
    }

    @Test
    void anInjectedCrashEndsTheNewestOrTheNamedProgram() {
        sim.backend.injectProgramCrash("web", "p1", 3);
        sim.backend.injectProgramCrash("web", 139);
        sim.step(10);
        List<VmmEvent> events = sim.drain();
        assertEquals(2, events.size(), events.toString());
        assertEquals("p1", events.get(0).programId());
        assertEquals(3, events.get(0).exitCode());
        assertEquals("p2", events.get(1).programId());
        assertEquals(139, events.get(1).exitCode());
        var programs = sim.backend.find("web").orElseThrow().programs();
        assertEquals(3, programs.get(0).exitCode());
        assertEquals(139, programs.get(1).exitCode());
        SliverUsage u = sim.usage(sim.backend.usage(), "web");
        assertEquals(SliverState.IDLE, u.state());
        assertEquals(0, u.memoryBytes());
        assertEquals(0, u.processes());
        assertEquals(0, u.oomKills());
        assertNoMoreEvents();
    }

    @Test
    void anInjectedForkLimitIsReportedOnce() {
        sim.backend.injectForkLimit("web");
        SliverUsage u = sim.usage(sim.step(10), "web");
        List<VmmEvent> events = sim.drain();
        assertEquals(1, events.size(), events.toString());
        assertEquals(VmmEvent.Kind.LIMIT_EXCEEDED, events.get(0).kind());
        assertEquals(Limit.PROCESSES, events.get(0).limit());
        assertEquals(64, u.processes(), "at its limit");
        assertNoMoreEvents();
    }

    @Test
    void injectionsIntoAnIdleOrDestroyedSliverDoNothing() {
        sim.backend.injectOomKill("idle");
        sim.backend.injectProgramCrash("idle", 1);
        sim.backend.injectForkLimit("idle");
        sim.backend.injectProgramCrash("web", "p9", 1);
        sim.step(10);
        assertTrue(sim.drain().isEmpty());
        sim.backend.injectOomKill("web");
        sim.backend.destroy("web");
        sim.drain();
        sim.step(10);
        assertTrue(sim.drain().isEmpty());
    }

    @Test
    void injectionsCheckTheirArguments() {
        assertEquals(VmmException.Reason.UNKNOWN_SLIVER,
                assertThrows(VmmException.class, () -> sim.backend.injectOomKill("nobody")).reason());
        assertEquals(VmmException.Reason.INVALID_NAME,
                assertThrows(VmmException.class, () -> sim.backend.injectForkLimit("Not A Name")).reason());
        assertThrows(IllegalArgumentException.class, () -> sim.backend.injectProgramCrash("web", 256));
        assertThrows(NullPointerException.class, () -> sim.backend.injectProgramCrash("web", null, 1));
    }

    @Test
    void injectionsMayComeFromOtherThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 400; i++) {
                pool.execute(() -> sim.backend.injectForkLimit("web"));
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        sim.step(10);
        assertEquals(400, Sim.of(sim.drain(), VmmEvent.Kind.LIMIT_EXCEEDED, Limit.PROCESSES).size());
    }

    @Test
    void randomFailureRatesAreSeeded() {
        List<VmmEvent> a = randomFailures(17);
        List<VmmEvent> b = randomFailures(17);
        assertEquals(a, b);
        assertTrue(Sim.of(a, VmmEvent.Kind.LIMIT_EXCEEDED, Limit.MEMORY).size() > 5, a.toString());
        assertTrue(a.stream().anyMatch(e -> e.kind() == VmmEvent.Kind.PROGRAM_EXITED && e.exitCode() != 137));
        assertTrue(!a.equals(randomFailures(18)));
    }

    /** Four slivers for ten simulated hours at 2 OOM kills and 2 crashes per sliver-hour, relaunched when they stop. */
    private static List<VmmEvent> randomFailures(long seed) {
        try (Sim s = Sim.open(Path.of("target", "not-persisted"), Sim.settings("seed", Long.toString(seed),
                "oomRate", "2", "crashRate", "2", "persist", "false"))) {
            for (int i = 0; i < 4; i++) {
                s.backend.create(new SliverSpec("s" + i, Limits.NONE));
            }
            for (int pass = 0; pass < 3600; pass++) {
                for (SliverUsage u : s.step(10)) {
                    if (u.state() == SliverState.IDLE) {
                        s.backend.launch(u.name(), ProgramSpec.of("/bin/flaky"));
                    }
                }
            }
            return new ArrayList<>(s.events);
        }
    }

    private void assertNoMoreEvents() {
        for (int i = 0; i < 5; i++) {
            sim.step(10);
        }
        assertEquals(List.of(), sim.drain(), "exactly once");
    }
}
