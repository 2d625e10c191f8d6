package dev.sliceplane.monitor.internal.store;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmSnapshot;

/**
 * What the monitor costs per VMM sample with many slivers (run by {@code bench/monitor-bench.sh};
 * not a test). Feeds {@code SAMPLES} one-second-apart samples of {@code SLIVERS} slivers with
 * moving counters, plus eight management slices and a lease per sliver (a fresh map each sample,
 * as the node manager builds it), to a {@link MonitorStore}, and measures the thread CPU time and
 * allocation of each {@code sampled} call after {@code WARMUP} samples. Building the sample is the
 * VMM's work and is not counted. At one sample a second, the CPU per sample is the share of a core.
 * Ends with the heap the store holds with an hour of history.
 *
 * <p>Arguments: {@code SLIVERS SAMPLES WARMUP} (defaults 1000 3600 600).
 */
public final class SampleCostBench {

    public static void main(String[] args) {
        int slivers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 3600;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();

        Random random = new Random(42);
        Instant t0 = Instant.parse("2026-11-26T00:00:00Z");
        String[] names = new String[slivers];
        double[] cpu = new double[slivers];
        long[] rx = new long[slivers];
        for (int i = 0; i < slivers; i++) {
            names[i] = String.format("site%03d_slice%03d", i / 10, i);
        }
        BenchContext context = new BenchContext(names, t0);
        MonitorStore store = new MonitorStore(context);

        long[] cpuNanos = new long[samples - warmup];
        long[] allocated = new long[samples - warmup];
        for (int s = 0; s < samples; s++) {
            Instant at = t0.plusSeconds(s);
            List<SliverUsage> usage = new ArrayList<>(slivers);
            for (int i = 0; i < slivers; i++) {
                cpu[i] += random.nextDouble() * 0.2;
                rx[i] += random.nextInt(100_000);
                usage.add(new SliverUsage(names[i], SliverState.RUNNING, cpu[i], 50_000_000L + random.nextInt(1 << 20),
                        60_000_000L, 5, 1_000_000L, rx[i], rx[i] / 2, 0));
            }
            context.at = at;
            VmmSnapshot snapshot = new VmmSnapshot(s + 1, at, "simulated", true, node(at, s), usage);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long alloc0 = threads.getThreadAllocatedBytes(self);
            store.sampled(snapshot);
            long cpu1 = threads.getCurrentThreadCpuTime();
            long alloc1 = threads.getThreadAllocatedBytes(self);
            if (s >= warmup) {
                cpuNanos[s - warmup] = cpu1 - cpu0;
                allocated[s - warmup] = alloc1 - alloc0;
            }
        }
        long[] sorted = cpuNanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(cpuNanos).average().orElse(0);
        double meanAlloc = Arrays.stream(allocated).average().orElse(0);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        System.out.printf("slivers %d, samples %d (first %d not counted), one a second of sample time%n",
                slivers, samples, warmup);
        System.out.printf("cpu per sample: mean %.0f us, p50 %.0f us, p99 %.0f us, max %.0f us%n", mean / 1e3,
                sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3,
                sorted[sorted.length - 1] / 1e3);
        System.out.printf("share of one core at 1 Hz: %.3f %%%n", mean / 1e9 * 100);
        System.out.printf("allocated per sample: %.0f KB (%.0f bytes per sliver)%n", meanAlloc / 1024,
                meanAlloc / slivers);
        System.out.printf("heap in use after the run (store with %d s of history, after GC): %.1f MB%n",
                samples, heap / 1e6);
        System.out.printf("points of one sliver's mem at 10 s: %d%n", store.history(
                new dev.sliceplane.monitor.api.Series(dev.sliceplane.monitor.api.Series.Scope.SLIVER, names[0], "mem"),
                dev.sliceplane.monitor.api.Resolution.TEN_SECONDS).points().size());
    }

    private static NodeStatus node(Instant at, int s) {
        return new NodeStatus(at, true, 2, 0.5, 0.4, 0.3, new NodeStatus.CpuTimes(s, 0, s / 2.0, s * 3.0, 0, 0, 0, 0),
                0.3, 24L << 30, 12L << 30, 0, 0,
                new NodeStatus.Filesystem("/", "/dev/vda", "ext4", 100L << 30, 50L << 30, 45L << 30), 1.7e9, 3600 + s,
                List.of(new NodeStatus.NetworkCounters("lo", s * 1000L, s * 1000L),
                        new NodeStatus.NetworkCounters("eth0", s * 5000L, s * 3000L)));
    }

    /** Eight slices, a lease per sliver (built afresh each call), limits listed once. */
    private static final class BenchContext implements SampleContext {
        private final String[] names;
        private final Instant leaseEnd;
        Instant at;

        BenchContext(String[] names, Instant t0) {
            this.names = names;
            this.leaseEnd = t0.plusSeconds(86_400);
        }

        @Override
        public String hostname() {
            return "node1.bench";
        }

        @Override
        public Double clockOffsetSeconds() {
            return 0.002;
        }

        @Override
        public List<SliceSnapshot> managementSlices() {
            List<SliceSnapshot> slices = new ArrayList<>();
            long s = at.getEpochSecond();
            for (String name : List.of("mgmt_accounts", "mgmt_agent", "mgmt_discovery", "mgmt_monitor",
                    "mgmt_nodemanager", "mgmt_platform", "mgmt_topology", "mgmt_updater")) {
                slices.add(Samples.slice(name, s * 1_000_000L, s * 10_000L, 2, at));
            }
            return slices;
        }

        @Override
        public Map<String, Instant> leaseEnds() {
            Map<String, Instant> ends = new HashMap<>();
            for (String name : names) {
                ends.put(name, leaseEnd);
            }
            return Map.copyOf(ends);
        }

        @Override
        public Map<String, Long> memoryLimits() {
            Map<String, Long> limits = new HashMap<>();
            for (String name : names) {
                limits.put(name, 256L << 20);
            }
            return limits;
        }

        @Override
        public Long memoryLimit(String sliver) {
            return 256L << 20;
        }
    }
}
