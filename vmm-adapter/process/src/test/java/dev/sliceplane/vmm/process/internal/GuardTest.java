package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmEvent.Kind;

/**
 * The limits the guard enforces, each tested by behaviour that would fail without it:
 * a memory hog is killed, a CPU hog is held to its quota, a fork loop is held to its process
 * limit, and nothing is ever left stopped.
 */
class GuardTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final double TICKS = 100.0; // USER_HZ on Linux

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
    void aMemoryHogOverItsLimitIsKilledAndReportedOnce() {
        long limit = 64L << 20;
        var created = h.backend.create(new SliverSpec("hog", Limits.NONE.withMemoryBytes(limit)));
        assertEquals(Enforcement.APPROXIMATE, created.enforcement().get(Limit.MEMORY));
        h.backend.launch("hog", ProgramSpec.of("sleep", "300")); // small: must survive
        // grows to 4, 8, 16, … MiB, a step every 300 ms, so the guard sees it pass 64 MiB
        h.backend.launch("hog", ProgramSpec.of("/bin/sh", "-c",
                "x=$(head -c 4194304 /dev/zero | tr '\\0' a); while :; do x=\"$x$x\"; sleep 0.3; done"));

        var hog = h.awaitExit("hog", "p2", WAIT);
        assertEquals(128 + 9, hog.exitCode(), "killed with SIGKILL, not failed on its own");
        SliverUsage usage = h.usage("hog");
        assertEquals(1, usage.oomKills());
        assertTrue(usage.memoryPeakBytes() > limit, "peak " + usage.memoryPeakBytes());
        assertTrue(usage.memoryBytes() < limit);
        assertTrue(h.program("hog", "p1").running(), "only the largest process is killed");

        h.backend.usage();
        List<VmmEvent> exceeded = h.events(Kind.LIMIT_EXCEEDED, "hog");
        assertEquals(1, exceeded.size(), exceeded.toString());
        assertEquals(Limit.MEMORY, exceeded.get(0).limit());
        assertTrue(exceeded.get(0).message().contains("sh"), exceeded.get(0).message());
    }

    @Test
    void aCpuHogWithATwentyPercentQuotaStaysUnderAQuarterOfACore() {
        h.backend.create(new SliverSpec("spinner", Limits.NONE.withCpuCores(0.2)));
        // two busy loops: the quota holds for the sliver, not per process
        h.backend.launch("spinner", ProgramSpec.of("/bin/sh", "-c",
                "while :; do :; done & while :; do :; done"));
        List<Long> sessions = h.sessions("spinner");
        Harness.await("the loops", WAIT, () -> Harness.alive(sessions).size() >= 3);
        // The duty cycle only starts at the guard's first pass: the loops run free until then
        // (one period, on both cores), a transient the README documents. Measure the held state.
        Harness.sleep(1_000);

        double usageBefore = h.usage("spinner").cpuSeconds();
        long ticksBefore = ticks(sessions);
        long start = System.nanoTime();
        Harness.sleep(5_000);
        long ticksAfter = ticks(sessions);
        double seconds = (System.nanoTime() - start) / 1e9;
        double usageAfter = h.usage("spinner").cpuSeconds();

        double share = (ticksAfter - ticksBefore) / TICKS / seconds;
        assertTrue(share < 0.25, "the sliver used " + share + " of a core");
        assertTrue(share > 0.10, "the throttle must let it run too: " + share);
        assertEquals((ticksAfter - ticksBefore) / TICKS, usageAfter - usageBefore, 0.15,
                "usage agrees with /proc");
    }

    @Test
    void aForkLoopIsHeldAtItsProcessLimit() {
        int limit = 30;
        h.backend.create(new SliverSpec("forker", Limits.NONE.withMaxProcesses(limit)));
        h.backend.launch("forker", ProgramSpec.of("/bin/sh", "-c", "while :; do sleep 300 & done"));
        List<Long> sessions = h.sessions("forker");

        List<Integer> counts = new java.util.ArrayList<>();
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            counts.add(Harness.alive(sessions).size());
            h.backend.usage();
            Harness.sleep(20);
        }
        List<Integer> settled = counts.subList(counts.size() / 3, counts.size());
        int most = settled.stream().mapToInt(Integer::intValue).max().orElseThrow();
        long over = settled.stream().filter(c -> c > limit).count();
        // Unchecked, the loop makes thousands of processes in three seconds.
        assertTrue(most <= limit, "at most " + most + " processes after the first second: " + counts);
        assertEquals(0, over, counts.toString());
        long loop = h.program("forker", "p1").pid();
        assertEquals('T', Harness.proc(loop).orElseThrow().state(), "the forking loop is paused, not killed");
        List<VmmEvent> exceeded = h.events(Kind.LIMIT_EXCEEDED, "forker");
        assertFalse(exceeded.isEmpty());
        assertTrue(exceeded.stream().allMatch(e -> e.limit() == Limit.PROCESSES));

        // room again: the loop goes on, up to the new limit
        h.backend.resize("forker", Limits.NONE.withMaxProcesses(limit + 10));
        Harness.await("the loop to use the room", WAIT, () -> Harness.alive(sessions).size() >= limit + 5);
        Harness.sleep(500);
        assertTrue(Harness.alive(sessions).size() <= limit + 10);
    }

    @Test
    void stopReachesAThrottledProgramAndNothingIsLeftStopped() {
        h.backend.create(new SliverSpec("frozen", Limits.NONE.withCpuCores(0.05)));
        h.backend.launch("frozen", ProgramSpec.of("/bin/sh", "-c", "trap 'exit 5' TERM; while :; do :; done"));
        List<Long> sessions = h.sessions("frozen");
        Harness.await("the throttle to stop it", WAIT,
                () -> Harness.alive(sessions).stream().anyMatch(p -> p.state() == 'T'));

        long start = System.nanoTime();
        h.backend.stop("frozen", Duration.ofSeconds(5));
        assertTrue(System.nanoTime() - start < 3_000_000_000L, "SIGCONT after SIGTERM lets it handle the signal");
        assertEquals(5, h.program("frozen", "p1").exitCode(), "its TERM handler ran");
        assertEquals(List.of(), Harness.alive(sessions));
    }

    @Test
    void closingTheBackendLeavesNoSliverStoppedAndReopeningThrottlesAgain() {
        h.backend.create(new SliverSpec("paused", Limits.NONE.withCpuCores(0.02)));
        h.backend.launch("paused", ProgramSpec.of("/bin/sh", "-c", "while :; do :; done"));
        List<Long> sessions = h.sessions("paused");
        Harness.await("the throttle to stop it", WAIT,
                () -> Harness.alive(sessions).stream().anyMatch(p -> p.state() == 'T'));

        h.backend.close();
        assertNeverStopped(sessions, 0.02);

        h.open();
        assertTrue(h.program("paused", "p1").running(), "re-attached, not killed");
        Harness.await("the new backend to throttle it", WAIT,
                () -> Harness.alive(sessions).stream().anyMatch(p -> p.state() == 'T'));
    }

    @Test
    void liftingTheQuotaLetsTheSliverRunFreely() {
        h.backend.create(new SliverSpec("lifted", Limits.NONE.withCpuCores(0.02)));
        h.backend.launch("lifted", ProgramSpec.of("/bin/sh", "-c", "while :; do :; done"));
        List<Long> sessions = h.sessions("lifted");
        Harness.await("the throttle to stop it", WAIT,
                () -> Harness.alive(sessions).stream().anyMatch(p -> p.state() == 'T'));

        h.backend.resize("lifted", Limits.NONE);
        assertNeverStopped(sessions, 0.02);
    }

    /**
     * Once the SIGCONT has gone out (the signal helper sends it a moment later), for a second no
     * process of these sessions is stopped, and together they get more CPU than their quota would
     * allow (loosely: the machine running the tests may be busy).
     */
    private static void assertNeverStopped(List<Long> sessions, double quota) {
        Harness.await("the stopped processes to continue", WAIT,
                () -> Harness.alive(sessions).stream().noneMatch(p -> p.state() == 'T'));
        long before = ticks(sessions);
        long start = System.nanoTime();
        for (int i = 0; i < 40; i++) {
            assertTrue(Harness.alive(sessions).stream().noneMatch(p -> p.state() == 'T'), "left stopped");
            Harness.sleep(25);
        }
        double share = (ticks(sessions) - before) / TICKS / ((System.nanoTime() - start) / 1e9);
        assertTrue(share > quota * 2, "it runs unthrottled: " + share + " of a core");
    }

    /** CPU ticks of the live processes in these sessions, by this test's own reading of /proc. */
    private static long ticks(List<Long> sessions) {
        return Harness.alive(sessions).stream().mapToLong(Harness.Proc::cpuTicks).sum();
    }
}
