package dev.sliceplane.vmm.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmException;

/** The model keeps the limits it claims to enforce, and the node's figures agree with the slivers'. */
class ModelTest {

    private static final long MIB = 1L << 20;
    private static final Path NOWHERE = Path.of("target", "not-persisted");

    @Test
    void cpuStaysWithinQuotasAndCores() {
        try (Sim sim = Sim.open(NOWHERE, Sim.settings("seed", "3", "cores", "2", "memoryBytes", "64GiB",
                "persist", "false"))) {
            Map<String, Double> quota = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                Double q = i % 2 == 0 ? 0.05 + 0.02 * i : null;
                String name = "s" + i;
                quota.put(name, q);
                sim.backend.create(new SliverSpec(name, new Limits(q, 10 + 25 * i, null, null, null)));
                sim.backend.launch(name, ProgramSpec.of("/bin/work"));
                if (i % 3 == 0) {
                    sim.backend.launch(name, ProgramSpec.of("/bin/more"));
                }
            }
            List<SliverUsage> previous = sim.step(10);
            NodeStatus.CpuTimes nodeBefore = sim.status().cpu();
            int saturated = 0;
            for (int pass = 0; pass < 300; pass++) {
                List<SliverUsage> now = sim.step(10);
                NodeStatus.CpuTimes node = sim.status().cpu();
                double sum = 0;
                for (int i = 0; i < now.size(); i++) {
                    SliverUsage u = now.get(i);
                    double used = u.cpuSeconds() - previous.get(i).cpuSeconds();
                    assertTrue(used >= 0, "cpu time is monotonic");
                    Double q = quota.get(u.name());
                    if (q != null) {
                        assertTrue(used <= q * 10 + 1e-9, u.name() + " used " + used + " s with a quota of " + q);
                    }
                    sum += used;
                }
                assertTrue(sum <= 2 * 10 + 1e-9, "all slivers used " + sum + " s of 20");
                double userSystem = node.user() + node.system() - nodeBefore.user() - nodeBefore.system();
                assertTrue(userSystem >= sum - 1e-6, "the node's user+system " + userSystem + " holds the slivers' " + sum);
                assertEquals(20, node.total() - nodeBefore.total(), 1e-6);
                nodeBefore = node;
                if (sum > 2 * 10 - 1e-6) {
                    saturated++;
                }
                previous = now;
            }
            assertTrue(saturated > 250, "40 busy slivers keep 2 cores saturated (" + saturated + " of 300 passes)");
        }
    }

    @Test
    void memoryOverTheLimitIsAnOomKill() {
        try (Sim sim = Sim.open(NOWHERE, Sim.settings("persist", "false"))) {
            sim.backend.create(new SliverSpec("tiny", new Limits(null, null, Limits.MIN_MEMORY_BYTES, null, null)));
            sim.backend.launch("tiny", ProgramSpec.of("/bin/hungry"));
            sim.drain();
            SliverUsage u = sim.usage(sim.step(10), "tiny");
            List<VmmEvent> events = sim.drain();
            assertEquals(2, events.size(), events.toString());
            assertEquals(VmmEvent.Kind.LIMIT_EXCEEDED, events.get(0).kind());
            assertEquals(Limit.MEMORY, events.get(0).limit());
            assertEquals(VmmEvent.Kind.PROGRAM_EXITED, events.get(1).kind());
            assertEquals(137, events.get(1).exitCode());
            assertEquals("p1", events.get(1).programId());
            assertEquals(sim.clock.instant(), events.get(0).at());
            assertEquals(1, u.oomKills());
            assertEquals(0, u.memoryBytes());
            assertEquals(SliverState.IDLE, u.state());
            assertEquals(137, sim.backend.find("tiny").orElseThrow().programs().get(0).exitCode());
            sim.step(10);
            assertTrue(sim.drain().isEmpty(), "reported once");
        }
    }

    @Test
    void memoryProcessesAndDiskNeverExceedTheirLimits() {
        try (Sim sim = Sim.open(NOWHERE, Sim.settings("seed", "11", "persist", "false"))) {
            for (int i = 0; i < 20; i++) {
                String name = "s" + i;
                sim.backend.create(new SliverSpec(name, new Limits(null, null, (64L + 32 * i) * MIB, 2 + i, MIB * i)));
                sim.backend.launch(name, ProgramSpec.of("/bin/work"));
            }
            long kills = 0;
            for (int pass = 0; pass < 720; pass++) {
                for (SliverUsage u : sim.step(10)) {
                    int i = Integer.parseInt(u.name().substring(1));
                    assertTrue(u.memoryBytes() <= (64L + 32 * i) * MIB, u.toString());
                    assertTrue(u.memoryPeakBytes() <= (64L + 32 * i) * MIB, u.toString());
                    assertTrue(u.processes() <= 2 + i, u.toString());
                    assertTrue(u.diskBytes() <= MIB * i, u.toString());
                    if (u.state() == SliverState.IDLE) {
                        sim.backend.launch(u.name(), ProgramSpec.of("/bin/work"));
                    }
                }
                kills += Sim.of(sim.drain(), VmmEvent.Kind.LIMIT_EXCEEDED, Limit.MEMORY).size();
            }
            assertTrue(kills > 0, "tight memory limits do kill");
            assertTrue(sim.backend.usage().stream().anyMatch(u -> u.diskBytes() > MIB * 9 / 10),
                    "disks fill up to their quotas");
        }
    }

    @Test
    void aNodeOutOfMemoryKillsInTheLargestSliver() {
        // 64 MiB of memory, 16 MiB of it the system's: 48 MiB for slivers that each want 32 MiB to 1 GiB.
        try (Sim sim = Sim.open(NOWHERE, Sim.settings("seed", "2", "memoryBytes", "64MiB", "persist", "false"))) {
            for (int i = 0; i < 4; i++) {
                sim.backend.create(new SliverSpec("s" + i, Limits.NONE));
            }
            int kills = 0;
            for (int pass = 0; pass < 200; pass++) {
                List<SliverUsage> usage = sim.step(10);
                long memory = usage.stream().mapToLong(SliverUsage::memoryBytes).sum();
                assertTrue(memory <= 48 * MIB, "slivers hold " + memory + " bytes");
                assertEquals(Math.max(0, 48 * MIB - memory), sim.status().memAvailableBytes());
                for (VmmEvent e : Sim.of(sim.drain(), VmmEvent.Kind.LIMIT_EXCEEDED, Limit.MEMORY)) {
                    assertTrue(e.message().contains("node is out of memory"), e.message());
                    kills++;
                }
                for (SliverUsage u : usage) {
                    if (u.state() == SliverState.IDLE) {
                        sim.backend.launch(u.name(), ProgramSpec.of("/bin/hungry"));
                    }
                }
            }
            assertTrue(kills > 10, kills + " kills");
        }
    }

    @Test
    void aForkAtTheProcessLimitIsRefused() {
        try (Sim sim = Sim.open(NOWHERE, Sim.settings("persist", "false"))) {
            sim.backend.create(new SliverSpec("one", new Limits(null, null, null, 1, null)));
            sim.backend.launch("one", ProgramSpec.of("/bin/first"));
            sim.drain();
            VmmException e = assertThrows(VmmException.class,
                    () -> sim.backend.launch("one", ProgramSpec.of("/bin/second")));
            assertEquals(VmmException.Reason.LAUNCH_FAILED, e.reason());
            List<VmmEvent> events = sim.drain();
            assertEquals(1, events.size());
            assertEquals(Limit.PROCESSES, events.get(0).limit());
            assertEquals(1, sim.backend.find("one").orElseThrow().programs().size(), "no record of the refused one");
        }
    }

    @Test
    void theNodeAgreesWithItsSlivers() {
        try (Sim sim = Sim.open(NOWHERE, Sim.settings("seed", "9", "cores", "4", "memoryBytes", "16GiB",
                "interfaces", "eth0,eth1", "persist", "false"))) {
            NodeStatus first = sim.status();
            assertTrue(first.simulated());
            assertNull(first.cpuBusy(), "no busy fraction before the first pass");
            assertEquals(List.of("eth0", "eth1"), first.network().stream().map(NodeStatus.NetworkCounters::device)
                    .toList());
            assertTrue(first.uptimeSeconds() >= 3600, "booted a while ago");
            assertEquals(sim.clock.instant().toEpochMilli() / 1000.0 - first.uptimeSeconds(),
                    first.bootTimeSeconds(), 1e-3);
            for (int i = 0; i < 12; i++) {
                sim.backend.create(new SliverSpec("s" + i, new Limits(1.0, null, 2048 * MIB, null, null)));
                sim.backend.launch("s" + i, ProgramSpec.of("/bin/work"));
            }
            List<SliverUsage> before = sim.step(10);
            NodeStatus nodeBefore = sim.status();
            for (int pass = 0; pass < 100; pass++) {
                List<SliverUsage> after = sim.step(10);
                NodeStatus node = sim.status();
                assertTrue(node.simulated());
                assertEquals(sim.clock.instant(), node.at());
                assertEquals(10, node.uptimeSeconds() - nodeBefore.uptimeSeconds(), 1e-9);
                double sliverCpu = 0;
                long sliverRx = 0;
                long sliverTx = 0;
                long memory = 0;
                for (int i = 0; i < after.size(); i++) {
                    sliverCpu += after.get(i).cpuSeconds() - before.get(i).cpuSeconds();
                    sliverRx += after.get(i).networkRxBytes() - before.get(i).networkRxBytes();
                    sliverTx += after.get(i).networkTxBytes() - before.get(i).networkTxBytes();
                    memory += after.get(i).memoryBytes();
                }
                NodeStatus.CpuTimes c = node.cpu();
                NodeStatus.CpuTimes b = nodeBefore.cpu();
                assertEquals(4 * 10, c.total() - b.total(), 1e-6, "every core-second is in some mode");
                double userSystem = c.user() + c.system() - b.user() - b.system();
                assertTrue(userSystem >= sliverCpu - 1e-6 && userSystem <= sliverCpu + 0.06 * 10,
                        "user+system " + userSystem + " vs the slivers' " + sliverCpu);
                assertEquals((c.busy() - b.busy()) / 40, node.cpuBusy(), 1e-9);
                assertTrue(node.memAvailableBytes() <= node.memTotalBytes() - memory);
                assertTrue(node.memAvailableBytes() >= node.memTotalBytes() * 3 / 4 - memory);
                long rx0 = node.network().get(0).receiveBytes() - nodeBefore.network().get(0).receiveBytes();
                long tx0 = node.network().get(0).transmitBytes() - nodeBefore.network().get(0).transmitBytes();
                long rx1 = node.network().get(1).receiveBytes() - nodeBefore.network().get(1).receiveBytes();
                assertTrue(rx0 >= sliverRx && rx0 <= sliverRx + 50_000, rx0 + " vs " + sliverRx);
                assertTrue(tx0 >= sliverTx && tx0 <= sliverTx + 50_000);
                assertTrue(rx1 > 0 && rx1 <= 50_000, "the second interface carries only the background");
                assertTrue(node.disk().freeBytes() <= node.disk().sizeBytes()
                        - after.stream().mapToLong(SliverUsage::diskBytes).sum());
                before = after;
                nodeBefore = node;
            }
            assertTrue(nodeBefore.load1() > 1, "busy slivers load the node: " + nodeBefore.load1());
            for (int i = 0; i < 12; i++) {
                sim.backend.stop("s" + i, java.time.Duration.ofSeconds(1));
            }
            for (int pass = 0; pass < 60; pass++) {
                sim.step(10);
            }
            NodeStatus quiet = sim.status();
            assertTrue(quiet.load1() < 0.1, "idle again: " + quiet.load1());
            assertTrue(quiet.load15() > quiet.load1(), "the long average remembers");
            assertTrue(quiet.cpuBusy() < 0.02);
            assertEquals(quiet.memTotalBytes(), quiet.memAvailableBytes() + (quiet.memTotalBytes()
                    - quiet.memAvailableBytes()));
            assertFalse(sim.backend.usage().stream().anyMatch(u -> u.memoryBytes() > 0), "stopped slivers hold no memory");
        }
    }

    @Test
    void aClockGoingBackDoesNotTurnTheModelBack() {
        try (Sim sim = Sim.open(NOWHERE, Sim.settings("persist", "false"))) {
            sim.backend.create(new SliverSpec("a", Limits.NONE));
            sim.backend.launch("a", ProgramSpec.of("/bin/work"));
            SliverUsage at100 = sim.usage(sim.step(100), "a");
            sim.clock.set(Sim.START);
            SliverUsage again = sim.usage(sim.backend.usage(), "a");
            assertEquals(at100, again);
            assertEquals(Sim.START.plusSeconds(100), sim.backend.modelTime());
            assertNotNull(sim.status().cpuBusy());
        }
    }
}
