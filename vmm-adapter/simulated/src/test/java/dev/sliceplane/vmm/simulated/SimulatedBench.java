package dev.sliceplane.vmm.simulated;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.spi.BackendContext;

/**
 * The cost of sampling simulated slivers, and the heap of many simulated nodes: a plain main,
 * run by {@code bench/vmm-sim-bench.sh}. Prints a Markdown table.
 *
 * <p>One pass is what the VMM core does per sample: {@code usage()} then {@code nodeStatus()}.
 * Every sliver runs a program (the most work a pass can have); the node is sized so that memory
 * does not run out (64 cores, 4 TiB), while its cores stay contended (slivers want ~0.25 core
 * each on average), so every pass also computes the weighted fair share.
 *
 * <p>System properties: {@code sizes} (default {@code 1000,10000}), {@code passes} (measured
 * passes per size, default 2000), {@code warmup} (default 1000), {@code nodes} and
 * {@code sliversPerNode} for the heap figure (default 1000 and 10), {@code seed} (default 1).
 */
public final class SimulatedBench {

    public static void main(String[] args) {
        int[] sizes = Arrays.stream(System.getProperty("sizes", "1000,10000").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int passes = Integer.getInteger("passes", 2000);
        int warmup = Integer.getInteger("warmup", 1000);
        int nodes = Integer.getInteger("nodes", 1000);
        int sliversPerNode = Integer.getInteger("sliversPerNode", 10);
        long seed = Long.getLong("seed", 1);

        System.out.printf(Locale.ROOT, "java %s, %s, %d CPUs, max heap %d MiB, GC %s%n%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        System.out.println("| slivers on one node | node heap after GC | passes | wall ms/pass p50 | p99 | CPU ms/pass (mean) "
                + "| % of one core at 1 Hz | allocated/pass |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        // Load and initialise every class first, so the heap figures hold only the model.
        try (SimulatedCluster c = SimulatedCluster.of(seed + 1, 20, 20)) {
            for (int i = 0; i < 200; i++) {
                c.step(Duration.ofSeconds(1));
            }
        }
        for (int size : sizes) {
            measureNode(size, passes, warmup, seed);
        }
        System.out.println();
        measureCluster(nodes, sliversPerNode, seed);
    }

    /** One node with {@code size} running slivers, sampled at 1 Hz of model time. */
    private static void measureNode(int size, int passes, int warmup, long seed) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long heapBefore = heapAfterGc();
        VirtualClock clock = new VirtualClock(SimulatedCluster.DEFAULT_START);
        Map<String, String> settings = Map.of("seed", Long.toString(seed), "cores", "64",
                "memoryBytes", "4TiB", "persist", "false");
        try (SimulatedBackend b = new SimulatedBackendFactory().open(
                new BackendContext(Path.of("bench-not-persisted"), settings, e -> { }, clock))) {
            for (int i = 0; i < size; i++) {
                String name = String.format("s%05d", i);
                b.create(new SliverSpec(name, new Limits(1.0, 100, 4L << 30, null, null)));
                b.launch(name, ProgramSpec.of("/bin/workload"));
            }
            long checksum = 0;
            for (int i = 0; i < warmup; i++) {
                clock.advance(Duration.ofSeconds(1));
                checksum += pass(b);
            }
            long heap = heapAfterGc() - heapBefore;
            long[] wall = new long[passes];
            long cpu0 = threads.getCurrentThreadCpuTime();
            long alloc0 = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < passes; i++) {
                clock.advance(Duration.ofSeconds(1));
                long t0 = System.nanoTime();
                checksum += pass(b);
                wall[i] = System.nanoTime() - t0;
            }
            double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / passes;
            double allocated = (double) (threads.getThreadAllocatedBytes(self) - alloc0) / passes;
            Arrays.sort(wall);
            System.out.printf(Locale.ROOT, "| %,d | %s (%,.0f B/sliver) | %,d | %.3f | %.3f | %.3f | %.3f %% | %s (%.0f B/sliver) |%n",
                    size, mib(heap), (double) heap / size, passes, wall[passes / 2] / 1e6, wall[(int) (passes * 0.99)] / 1e6, cpuMs,
                    cpuMs / 1000 * 100, mib(allocated), allocated / size);
            if (checksum == 42) {
                System.out.println();
            }
        }
    }

    /** Heap and sampling CPU of a cluster; its own method, so nothing of the single-node runs is still reachable. */
    private static void measureCluster(int nodes, int sliversPerNode, long seed) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = heapAfterGc();
        long t0 = System.nanoTime();
        try (SimulatedCluster cluster = SimulatedCluster.builder().seed(seed).nodes(nodes)
                .sliversPerNode(sliversPerNode).build()) {
            long built = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                cluster.step(Duration.ofSeconds(10));
            }
            int rounds = 50;
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                cluster.step(Duration.ofSeconds(10));
            }
            double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / rounds;
            long heap = heapAfterGc() - before;
            System.out.println("| simulated nodes × slivers | heap after GC | per node | build | CPU ms per sampleAll() |");
            System.out.println("|---|---:|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| %,d × %d (%,d slivers, all running) | %s | %,.0f B | %.0f ms | %.1f |%n",
                    nodes, sliversPerNode, cluster.sliverCount(), mib(heap), (double) heap / nodes,
                    (built - t0) / 1e6, cpuMs);
        }
    }

    /** One sample as the VMM core takes it; returns something to keep the JIT honest. */
    private static long pass(SimulatedBackend b) {
        List<SliverUsage> usage = b.usage();
        return usage.size() + (long) b.nodeStatus().orElseThrow().load1();
    }

    private static String mib(double bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / (1 << 20))
                : String.format(Locale.ROOT, "%.0f KiB", bytes / 1024);
    }

    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private SimulatedBench() {
    }
}
