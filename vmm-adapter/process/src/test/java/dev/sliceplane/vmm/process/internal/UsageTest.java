package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.spi.VmmBackendFactory;

/** What usage reports, and the process-level mechanisms (nice, autogroup, RLIMIT_AS). */
class UsageTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path state;
    Harness h;

    @BeforeEach
    void open() {
        h = new Harness(state);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void cpuTimeCountsShortLivedChildrenNeverGoesBackAndAgreesWithTheSupervisor() {
        h.open().backend.create(new SliverSpec("builder", Limits.NONE));
        // CPU spent only in children that come and go, like a build
        h.backend.launch("builder", ProgramSpec.of("/bin/sh", "-c",
                "for n in 1 2 3 4 5 6 7 8; do sh -c 'i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done'; done"));
        double last = 0;
        while (h.program("builder", "p1").running()) {
            double now = h.usage("builder").cpuSeconds();
            assertTrue(now >= last, now + " after " + last);
            last = now;
            Harness.sleep(50);
        }
        double total = h.usage("builder").cpuSeconds();
        SupervisorTimes times = SupervisorTimes.read(state.resolve("slivers/builder/programs/p1/times")).orElseThrow();
        assertTrue(times.childSeconds() > 0.2, "the workload used CPU: " + times);
        assertEquals(times.ownSeconds() + times.childSeconds(), total, 0.05, "what the supervisor reaped is what we count");
    }

    @Test
    void memoryIsTheResidentSumAndProcessesCountEveryTask() {
        h.open().backend.create(new SliverSpec("counted", Limits.NONE));
        h.backend.launch("counted", ProgramSpec.of("/bin/sh", "-c", "sleep 300 & sleep 300 & wait"));
        List<Long> sessions = h.sessions("counted");
        Harness.await("the sleeps", WAIT, () -> Harness.alive(sessions).size() == 4);

        SliverUsage usage = h.usage("counted");
        assertEquals(4, usage.processes(), "supervisor, shell and two sleeps");
        long rss = Harness.alive(sessions).stream().mapToLong(p -> residentBytes(p.pid())).sum();
        assertEquals(rss, usage.memoryBytes(), rss / 5.0, "resident sum");
        assertTrue(usage.memoryPeakBytes() >= usage.memoryBytes());
        assertEquals(0, usage.oomKills());
        assertEquals(null, usage.networkRxBytes(), "not attributable without network namespaces");
    }

    @Test
    void diskCountsTheHomeAndIsRefreshedOnlyAfterTheInterval() throws IOException {
        h.settings.put("diskScanSeconds", "3600");
        h.open().backend.create(new SliverSpec("disky", Limits.NONE.withDiskBytes(1L << 20)));
        assertEquals(Enforcement.NOT_ENFORCED, h.backend.find("disky").orElseThrow().enforcement().get(Limit.DISK));
        Path home = h.backend.find("disky").orElseThrow().home();
        Files.write(home.resolve("a"), new byte[100_000]);
        assertEquals(100_000, h.usage("disky").diskBytes());
        Files.write(home.resolve("b"), new byte[5_000]);
        assertEquals(100_000, h.usage("disky").diskBytes(), "cached");

        h.settings.put("diskScanSeconds", "0");
        h.reopen();
        assertEquals(105_000, h.usage("disky").diskBytes());
    }

    @Test
    void cpuWeightBecomesNiceAndTheSessionsAutogroupNice() throws IOException {
        h.open();
        Host host = Host.detect(Path.of("/proc"));
        h.backend.create(new SliverSpec("weighted", Limits.NONE.withCpuWeight(1000)));
        ProgramInfo p = h.backend.launch("weighted", ProgramSpec.of("sleep", "300"));
        Harness.await("the program", WAIT, () -> Harness.proc(p.pid()).isPresent());
        if (!host.root()) {
            assertEquals(Enforcement.NOT_ENFORCED, h.backend.find("weighted").orElseThrow().enforcement()
                    .get(Limit.CPU_WEIGHT), "a user cannot raise priority: say so");
            return;
        }
        assertEquals(Enforcement.APPROXIMATE, h.backend.find("weighted").orElseThrow().enforcement()
                .get(Limit.CPU_WEIGHT));
        assertEquals(-10, Harness.proc(p.pid()).orElseThrow().nice());
        if (host.autogroup()) {
            assertTrue(Harness.read(Path.of("/proc", p.pid() + "/autogroup")).contains("nice -10"));
        }

        h.backend.resize("weighted", Limits.NONE.withCpuWeight(10));
        assertEquals(10, Harness.proc(p.pid()).orElseThrow().nice());
        if (host.autogroup()) {
            assertTrue(Harness.read(Path.of("/proc", p.pid() + "/autogroup")).contains("nice 10"));
        }
    }

    @Test
    void aMemoryLimitSetsEachProcesssAddressSpaceLimit() {
        h.open().backend.create(new SliverSpec("bounded", Limits.NONE.withMemoryBytes(64L << 20)));
        h.backend.launch("bounded", ProgramSpec.of("/bin/sh", "-c", "ulimit -v"));
        assertEquals("262144\n", Harness.read(h.awaitExit("bounded", "p1", WAIT).stdout()), "4 x 64 MiB in KiB");

        h.settings.put("addressSpaceFactor", "0");
        h.reopen();
        h.backend.launch("bounded", ProgramSpec.of("/bin/sh", "-c", "ulimit -v"));
        assertEquals("unlimited\n", Harness.read(h.awaitExit("bounded", "p2", WAIT).stdout()));
    }

    @Test
    void theBackendDescribesItselfTruthfully() {
        VmmBackendFactory factory = new ProcessBackendFactory();
        assertEquals("process", factory.name());
        VmmBackendFactory.Availability availability = factory.probe();
        assertTrue(availability.usable(), availability.reason());
        assertTrue(availability.reason().contains("uid"), availability.reason());

        BackendInfo info = h.open().backend.info();
        assertEquals("process", info.name());
        assertFalse(info.simulated());
        assertFalse(info.enforcement().containsValue(Enforcement.ENFORCED), "without cgroups nothing is exact");
        assertEquals(Enforcement.APPROXIMATE, info.enforcement(Limit.CPU_QUOTA));
        assertEquals(Enforcement.APPROXIMATE, info.enforcement(Limit.MEMORY));
        assertEquals(Enforcement.APPROXIMATE, info.enforcement(Limit.PROCESSES));
        assertEquals(Enforcement.NOT_ENFORCED, info.enforcement(Limit.DISK));

        var capacity = h.backend.capacity();
        assertEquals(Runtime.getRuntime().availableProcessors(), capacity.cores());
        assertTrue(capacity.memoryBytes() > 64L << 20);
        assertTrue(capacity.diskBytes() > 0);
        assertTrue(capacity.networkInterfaces().contains("lo"), capacity.networkInterfaces().toString());

        var sliver = h.backend.create(new SliverSpec("plain", Limits.NONE.withMemoryBytes(1L << 30)));
        assertEquals(java.util.Map.of(Limit.MEMORY, Enforcement.APPROXIMATE), sliver.enforcement(),
                "only the limits that are set");
    }

    @Test
    void badSettingsAreAClearError() {
        h.settings.put("guardPeriodMillis", "0");
        VmmException e = assertThrows(VmmException.class, h::open);
        assertEquals(VmmException.Reason.BACKEND_FAILURE, e.reason());
        assertTrue(e.getMessage().contains("guardPeriodMillis"), e.getMessage());
        h.backend = null;
    }

    private static long residentBytes(long pid) {
        String statm = Harness.read(Path.of("/proc", pid + "/statm"));
        return Long.parseLong(statm.split(" ")[1]) * 4096;
    }
}
