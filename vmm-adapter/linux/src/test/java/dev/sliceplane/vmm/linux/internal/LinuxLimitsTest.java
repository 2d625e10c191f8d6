package dev.sliceplane.vmm.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

    private SliverUsage usageOf(String sliver) {
        return backend.usage().stream().filter(u -> u.name().equals(sliver)).findFirst().orElseThrow();
    }
}
