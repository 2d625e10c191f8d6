package dev.sliceplane.vmm.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmSnapshot;

class SimulatedClusterTest {

    @TempDir
    Path tmp;

    @Test
    void twoThousandNodesFitInOneJvm() {
        long before = heapAfterGc();
        long started = System.nanoTime();
        try (SimulatedCluster cluster = SimulatedCluster.of(2026, 2_000, 5)) {
            long built = System.nanoTime();
            List<VmmSnapshot> last = null;
            for (int i = 0; i < 30; i++) {
                last = cluster.step(Duration.ofSeconds(10));
            }
            long sampled = System.nanoTime();
            long heap = heapAfterGc() - before;
            assertEquals(2_000, last.size());
            assertEquals(10_000, cluster.sliverCount());
            assertEquals(30, last.get(0).sequence());
            for (VmmSnapshot s : last) {
                assertTrue(s.simulated() && s.node().simulated());
                assertEquals("simulated", s.backend());
                assertEquals(5, s.slivers().size());
                assertEquals(cluster.clock().instant(), s.at());
            }
            assertEquals(10_000, cluster.events(VmmEvent.Kind.CREATED));
            System.out.printf("SimulatedCluster 2,000 nodes x 5 slivers: heap %.1f MiB after GC (%.0f bytes per node),"
                    + " built in %.0f ms, 30 passes in %.0f ms (%.2f ms per pass over 10,000 slivers)%n",
                    heap / 1048576.0, heap / 2000.0, (built - started) / 1e6, (sampled - built) / 1e6,
                    (sampled - built) / 1e6 / 30);
            assertTrue(heap < 64L << 20, "2,000 simulated nodes take " + heap / 1048576 + " MiB");
        }
    }

    @Test
    void aClusterIsDeterministicAndItsNodesDiffer() {
        List<VmmSnapshot> a = run(7);
        List<VmmSnapshot> b = run(7);
        assertEquals(a, b);
        assertNotEquals(a, run(8));
        Set<Double> load = new HashSet<>();
        for (VmmSnapshot s : a) {
            load.add(s.node().uptimeSeconds());
        }
        assertEquals(a.size(), load.size(), "every node booted at its own time");
    }

    @Test
    void aPersistedClusterReattaches() {
        SimulatedCluster.Builder builder = SimulatedCluster.builder().seed(3).nodes(4).sliversPerNode(3)
                .stateRoot(tmp);
        List<VmmSnapshot> first;
        try (SimulatedCluster cluster = builder.build()) {
            first = cluster.step(Duration.ofSeconds(10));
            assertEquals(12, cluster.events(VmmEvent.Kind.CREATED));
        }
        try (SimulatedCluster again = builder.build()) {
            assertEquals(0, again.events(VmmEvent.Kind.CREATED), "nothing re-created");
            assertEquals(12, again.sliverCount());
            List<VmmSnapshot> second = again.sampleAll();
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).slivers(), second.get(i).slivers(), "the clock has not moved");
            }
        }
    }

    private static List<VmmSnapshot> run(long seed) {
        try (SimulatedCluster cluster = SimulatedCluster.builder().seed(seed).nodes(50).sliversPerNode(5)
                .settings(SimulationSettings.DEFAULTS.withFailureRates(1, 1)).build()) {
            List<VmmSnapshot> last = null;
            for (int i = 0; i < 100; i++) {
                last = cluster.step(Duration.ofSeconds(30));
            }
            return last;
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
