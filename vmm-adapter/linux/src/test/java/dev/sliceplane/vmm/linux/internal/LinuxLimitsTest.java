package dev.sliceplane.vmm.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmEvent.Kind;

/** The kernel holds each limit: memory, CPU quota, processes. Real cgroups, real hogs. */
class LinuxLimitsTest {

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
    void aMemoryHogOverItsLimitIsKilledAndTheEventFires() {
        backend.create(new SliverSpec("hog", Limits.NONE.withMemoryBytes(32 * MIB)));
        // dd fills a 128 MiB buffer: four times the limit.
        backend.launch("hog", ProgramSpec.of("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"));

        TestCgroups.await(Duration.ofSeconds(15), () -> {
            backend.usage();
            return !events.exits("hog", "p1").isEmpty();
        }, "the hog to be killed");

        assertEquals(137, events.exits("hog", "p1").get(0).exitCode(), "killed by SIGKILL: " + events);
        List<VmmEvent> exceeded = events.of(Kind.LIMIT_EXCEEDED, "hog");
        assertEquals(1, exceeded.size(), events.toString());
        assertEquals(Limit.MEMORY, exceeded.get(0).limit());
        SliverUsage usage = usageOf("hog");
        assertTrue(usage.oomKills() >= 1);
        assertTrue(usage.memoryPeakBytes() <= 32 * MIB, "peak " + usage.memoryPeakBytes() + " stayed within the limit");
        assertTrue(usage.memoryPeakBytes() > 16 * MIB, "the hog did get up to the limit: " + usage.memoryPeakBytes());
        backend.usage();
        assertEquals(1, events.of(Kind.LIMIT_EXCEEDED, "hog").size(), "reported once");
    }

    @Test
    void aCpuHogWithATwentyPercentQuotaStaysUnderAQuarterOfACore() throws InterruptedException {
        backend.create(new SliverSpec("spin", Limits.NONE.withCpuCores(0.2)));
        // Two busy loops: unlimited they would use two cores, so the cap is what holds them.
        backend.launch("spin", ProgramSpec.of("sh", "-c", "while :; do :; done"));
        backend.launch("spin", ProgramSpec.of("sh", "-c", "while :; do :; done"));
        Thread.sleep(300);

        double before = usageOf("spin").cpuSeconds();
        long started = System.nanoTime();
        Thread.sleep(5000);
        double used = usageOf("spin").cpuSeconds() - before;
        double seconds = (System.nanoTime() - started) / 1e9;

        assertTrue(used <= 0.25 * seconds, used + " CPU seconds in " + seconds + " s is more than a quarter of a core");
        assertTrue(used >= 0.1 * seconds, "the hogs ran: " + used + " CPU seconds in " + seconds + " s");
        backend.stop("spin", Duration.ofSeconds(2));
    }

    @Test
    void aForkBombStopsAtItsProcessLimit() {
        backend.create(new SliverSpec("bomb", Limits.NONE.withMaxProcesses(20)));
        backend.launch("bomb", ProgramSpec.of("sh", "-c", "f() { f & f & wait; }; f"));

        TestCgroups.await(Duration.ofSeconds(10), () -> {
            backend.usage();
            return !events.of(Kind.LIMIT_EXCEEDED, "bomb").isEmpty();
        }, "a refused fork");
        assertEquals(Limit.PROCESSES, events.of(Kind.LIMIT_EXCEEDED, "bomb").get(0).limit());
        int most = 0;
        for (int i = 0; i < 20; i++) {
            most = Math.max(most, usageOf("bomb").processes());
            most = Math.max(most, cgroups.processesIn("bomb").size());
        }
        assertTrue(most <= 20, "at most 20 processes, saw " + most);

        long started = System.nanoTime();
        backend.destroy("bomb");
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "the kill outran the bomb");
        assertEquals(List.of(), cgroups.processesIn("bomb"));
        for (Path dir : cgroups.dirs("bomb")) {
            assertTrue(!Files.exists(dir), dir + " is gone");
        }
    }

    @Test
    void aProcessKilledAtTheMemoryLimitIsReportedOnTheNextPassThoughNoProgramEnded() throws Exception {
        reopen(1000); // no periodic read during the test: only the peak near the limit can trigger it
        backend.create(new SliverSpec("hog", Limits.NONE.withMemoryBytes(32 * MIB)));
        backend.usage(); // the first pass reads both event counters,
        backend.usage(); // and the second too (the first sliver's stagger); then not for 998 passes
        // The shell outlives its dd, and a sleep takes dd's place: no program ends, no task count falls.
        backend.launch("hog", ProgramSpec.of("sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1; exec sleep 60"));
        TestCgroups.await(Duration.ofSeconds(15), () -> kernelCount(memoryEvents("hog"), "oom_kill") >= 1,
                "the kernel to kill dd");

        SliverUsage usage = usageOf("hog");

        List<VmmEvent> exceeded = events.of(Kind.LIMIT_EXCEEDED, "hog");
        assertEquals(1, exceeded.size(), "reported by the first pass after the kill: " + events);
        assertEquals(Limit.MEMORY, exceeded.get(0).limit());
        assertEquals(1, usage.oomKills());
        assertEquals(List.of(), events.exits("hog", "p1"), "the program still runs");
    }

    @Test
    void aRefusedForkIsReportedWithinTheBoundAfterTheTasksFellBack() throws Exception {
        reopen(5);
        backend.create(new SliverSpec("burst", Limits.NONE.withMaxProcesses(8)));
        backend.usage();
        backend.usage();
        // Ten short sleeps at once against a limit of 8 (the supervisor and the shell count too).
        backend.launch("burst", ProgramSpec.of("sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5 & done; wait; exec sleep 60"));
        TestCgroups.await(Duration.ofSeconds(15), () -> kernelCount(pidsEvents("burst"), "max") >= 1, "a refused fork");
        TestCgroups.await(Duration.ofSeconds(15), () -> kernelCount(cgroups.dir("pids", "burst").resolve("pids.current"),
                null) <= 4, "the sleeps to end");

        int passes = 0;
        while (events.of(Kind.LIMIT_EXCEEDED, "burst").isEmpty() && passes < 5) {
            backend.usage();
            passes++;
        }

        List<VmmEvent> exceeded = events.of(Kind.LIMIT_EXCEEDED, "burst");
        assertEquals(1, exceeded.size(), "within eventReadPasses=5 passes: " + events);
        assertEquals(Limit.PROCESSES, exceeded.get(0).limit());
    }

    @Test
    void destroyReportsAKillNoPassHadReadYet() throws Exception {
        reopen(1000);
        backend.create(new SliverSpec("hog", Limits.NONE.withMemoryBytes(32 * MIB)));
        backend.usage();
        backend.usage();
        backend.launch("hog", ProgramSpec.of("sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1; exec sleep 60"));
        TestCgroups.await(Duration.ofSeconds(15), () -> kernelCount(memoryEvents("hog"), "oom_kill") >= 1,
                "the kernel to kill dd");

        backend.destroy("hog");

        List<Kind> kinds = events.all().stream().filter(e -> e.sliver().equals("hog")).map(VmmEvent::kind).toList();
        assertEquals(List.of(Kind.CREATED, Kind.LIMIT_EXCEEDED, Kind.PROGRAM_EXITED, Kind.DESTROYED), kinds, events.toString());
    }

    @Test
    void memoryIsReadWhenTheSliverRunsAndAfterAResizeNotWhileItIsIdle() throws Exception {
        reopen(1000); // no periodic read during the test
        Path home = cacheFileThenSleep();
        long cached = idleMemory("cache");

        Files.delete(home.resolve("cached")); // its page cache is uncharged now, by this process, not the sliver
        assumeUncharged("cache", cached);
        int idlePasses = 0;
        for (int n = 0; n < 3; n++) {
            SliverUsage before = usageOf("cache");
            SliverUsage usage = usageOf("cache");
            if (usage.cpuSeconds() == before.cpuSeconds()) {
                idlePasses++;
                assertEquals(cached, usage.memoryBytes(), "an idle sliver's memory is not read again before the bound");
            }
        }
        assertTrue(idlePasses > 0, "the sliver never stood still");

        backend.resize("cache", Limits.NONE.withMemoryBytes(256 * MIB));
        assertTrue(usageOf("cache").memoryBytes() < cached - 16 * MIB, "the pass after a resize reads memory");
    }

    @Test
    void anIdleSliversMemoryIsReadAgainWithinTheBound() throws Exception {
        reopen(3);
        Path home = cacheFileThenSleep();
        long cached = idleMemory("cache");

        Files.delete(home.resolve("cached"));
        assumeUncharged("cache", cached);
        int passes = 0;
        long memory = cached;
        while (memory >= cached - 16 * MIB && passes < 3) {
            memory = usageOf("cache").memoryBytes();
            passes++;
        }
        assertTrue(memory < cached - 16 * MIB, "within eventReadPasses=3 passes: " + memory + " of " + cached);
    }

    /**
     * A sliver that writes 32 MiB to a file in its home (page cache charged to it) and then sleeps;
     * sampled until its memory shows the file, which needs a pass after the first to read memory
     * again because the sliver ran. Returns its home.
     */
    private Path cacheFileThenSleep() {
        backend.create(new SliverSpec("cache", Limits.NONE.withMemoryBytes(256 * MIB)));
        backend.usage(); // the first two passes read everything (the first sliver's stagger); after that only
        backend.usage(); // a pass on which the sliver ran reads its memory
        backend.launch("cache", ProgramSpec.of("sh", "-c", "sleep 0.2; head -c 33554432 /dev/zero > cached; exec sleep 60"));
        // Less than written: the kernel may start reclaiming the file's pages at once.
        TestCgroups.await(Duration.ofSeconds(15), () -> usageOf("cache").memoryBytes() >= 24 * MIB,
                "the sliver's memory to show the file it wrote");
        return backend.find("cache").orElseThrow().home();
    }

    /** The memory figure once the sliver's CPU time stood still over a pass (its sleep runs). */
    private long idleMemory(String sliver) {
        long[] memory = new long[1];
        double[] cpu = {-1};
        TestCgroups.await(Duration.ofSeconds(15), () -> {
            SliverUsage usage = usageOf(sliver);
            boolean still = usage.cpuSeconds() == cpu[0];
            cpu[0] = usage.cpuSeconds();
            memory[0] = usage.memoryBytes();
            return still;
        }, "the sliver to stand still");
        return memory[0];
    }

    /** Skips the test where deleting the file did not lower the kernel's figure (nothing to see then). */
    private void assumeUncharged(String sliver, long cached) {
        long now = kernelCount(cgroups.dir("memory", sliver).resolve(cgroups.isV1() ? "memory.usage_in_bytes"
                : "memory.current"), null);
        assumeTrue(now < cached - 16 * MIB, "the kernel still charges " + now + " of " + cached);
    }

    /** Reopens the backend on the same state with another bound on event-counter reads. */
    private void reopen(int eventReadPasses) {
        backend.close();
        backend = (LinuxBackend) new LinuxBackendFactory().open(cgroups.context(state, events,
                Map.of(LinuxSettings.EVENT_READ_PASSES, Integer.toString(eventReadPasses))));
    }

    private Path memoryEvents(String sliver) {
        return cgroups.dir("memory", sliver).resolve(cgroups.isV1() ? "memory.oom_control" : "memory.events");
    }

    private Path pidsEvents(String sliver) {
        return cgroups.dir("pids", sliver).resolve("pids.events");
    }

    /** The number after {@code key} in a kernel file of "key value" lines, or the file's one number ({@code null} key). */
    private static long kernelCount(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (key == null) {
                    return Long.parseLong(line.trim());
                }
                if (line.startsWith(key + " ")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim());
                }
            }
            return 0;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private SliverUsage usageOf(String sliver) {
        return backend.usage().stream().filter(u -> u.name().equals(sliver)).findFirst().orElseThrow();
    }
}
