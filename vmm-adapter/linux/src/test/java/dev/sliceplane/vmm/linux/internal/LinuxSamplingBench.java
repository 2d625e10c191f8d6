package dev.sliceplane.vmm.linux.internal;

import static dev.sliceplane.vmm.linux.internal.BenchSupport.loadAverage;
import static dev.sliceplane.vmm.linux.internal.BenchSupport.percentile;
import static dev.sliceplane.vmm.linux.internal.BenchSupport.removeRoot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupLayout;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;

/**
 * The CPU cost of one sampling pass ({@code usage()}) over slivers that each run a {@code sleep},
 * and where it goes: the sampling thread's CPU time (ThreadMXBean) over many passes, then the
 * kernel's price of each file a pass may read, measured raw (pread on a file kept open, or open,
 * read and close) so the breakdown does not depend on the backend's code. Run by
 * {@code bench/vmm-sampling-bench.sh}; needs root. Only the public backend API is used, so the
 * same class can time an older build of the backend (its classes first on the class path).
 *
 * <pre>
 * java -cp ... dev.sliceplane.vmm.linux.internal.LinuxSamplingBench [slivers] [passes]
 * </pre>
 */
public final class LinuxSamplingBench {

    private static final Limits LIMITS = new Limits(0.5, null, 256L << 20, 100, null);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        boolean breakdown = !Boolean.getBoolean("noBreakdown");
        String root = "vmm-perf-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Path state = Files.createTempDirectory(Path.of(System.getProperty("stateParent", "/tmp")), "vmm-perf-bench");
        BackendContext context = new BackendContext(state, Map.of("cgroupRoot", root), e -> { }, Clock.systemUTC());
        try (VmmBackend backend = new LinuxBackendFactory().open(context)) {
            System.out.println("backend: " + backend.info().detail());
            for (int i = 0; i < n; i++) {
                backend.create(new SliverSpec("s" + i, LIMITS));
                backend.launch("s" + i, ProgramSpec.of("sleep", "3600"));
            }
            try {
                passes("launched by this backend", backend, n, passes);
                // A second backend on the same state, as after a restart: the supervisors are not its children.
                try (VmmBackend again = new LinuxBackendFactory().open(context)) {
                    passes("adopted (re-attached backend)", again, n, passes);
                }
                if (breakdown) {
                    breakdown(root, n);
                }
            } finally {
                for (int i = 0; i < n; i++) {
                    backend.stop("s" + i, Duration.ofSeconds(5)); // SIGTERM: each supervisor reaps its sleep
                    backend.destroy("s" + i);
                }
            }
        } finally {
            removeRoot(root);
            RecordStore.deleteTree(state);
        }
    }

    private static void passes(String what, VmmBackend backend, int n, int passes) {
        for (int i = 0; i < 100; i++) {
            backend.usage(); // warm-up (JIT; the first pass also opens the counter files and walks each home)
        }
        long[] wall = new long[passes];
        String load = loadAverage();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long user0 = THREADS.getCurrentThreadUserTime();
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            if (backend.usage().size() != n) {
                throw new IllegalStateException("a sliver is missing from the sample");
            }
            wall[i] = System.nanoTime() - t0;
        }
        double cpuMicrosPerPass = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / passes;
        // User time is the JVM's own work (parsing, objects); the rest is the kernel's (system calls).
        double userMicrosPerPass = (THREADS.getCurrentThreadUserTime() - user0) / 1e3 / passes;
        System.out.printf("usage() over %d slivers running sleep, %s, %d passes (load %s -> %s):%n", n, what, passes, load,
                loadAverage());
        System.out.printf("  CPU %.2f ms per pass = %.1f us per sliver (user %.1f, system %.1f); wall p50 %.2f ms;"
                + " 1,000 slivers at 1 Hz: %.2f%% of one core%n", cpuMicrosPerPass / 1e3, cpuMicrosPerPass / n,
                userMicrosPerPass / n, (cpuMicrosPerPass - userMicrosPerPass) / n, percentile(wall, 50) / 1e6,
                cpuMicrosPerPass / n * 1000 / 1e6 * 100);
    }

    /** CPU per sliver of each kind of read, over every sliver's real files, 200 rounds each. */
    private static void breakdown(String root, int n) throws IOException {
        CgroupLayout.V1 layout = (CgroupLayout.V1) CgroupLayout.detect();
        Map<String, List<Path>> files = new LinkedHashMap<>();
        // cpuacct.usage_percpu, cpuacct.usage_user and cpuacct.stat: other ways to the CPU time, for comparison.
        for (String name : List.of("cpuacct/cpuacct.usage", "cpuacct/cpuacct.usage_percpu", "cpuacct/cpuacct.usage_user",
                "cpuacct/cpuacct.stat", "memory/memory.usage_in_bytes", "memory/memory.max_usage_in_bytes",
                "memory/memory.oom_control", "memory/memory.stat", "pids/pids.events", "pids/pids.current", "pids/cgroup.procs")) {
            String controller = name.substring(0, name.indexOf('/'));
            List<Path> paths = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                paths.add(layout.controllers().get(controller).resolve(root).resolve("s" + i).resolve(name.substring(controller.length() + 1)));
            }
            files.put(name.substring(controller.length() + 1), paths);
        }
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        System.out.printf("  breakdown, CPU per sliver (load %s):%n", loadAverage());
        for (Map.Entry<String, List<Path>> e : files.entrySet()) {
            List<FileChannel> open = new ArrayList<>();
            for (Path p : e.getValue()) {
                open.add(FileChannel.open(p));
            }
            double pread = perSliver(n, () -> {
                long sum = 0;
                for (FileChannel c : open) {
                    buffer.clear();
                    sum += read(c, buffer, 0);
                }
                return sum;
            });
            for (FileChannel c : open) {
                c.close();
            }
            double fresh = perSliver(n, () -> {
                long sum = 0;
                for (Path p : e.getValue()) {
                    try (FileChannel c = FileChannel.open(p)) {
                        buffer.clear();
                        sum += read(c, buffer, -1);
                    } catch (IOException x) {
                        throw new IllegalStateException(x);
                    }
                }
                return sum;
            });
            System.out.printf("    %-26s pread kept open %5.2f us   open+read+close %5.2f us%n", e.getKey(), pread, fresh);
        }
        // A supervisor's /proc/<pid>/statm kept open: one pread tells whether it runs (the probe of an adopted one).
        List<FileChannel> stats = new ArrayList<>();
        for (Path p : files.get("cgroup.procs")) {
            String first = Files.readString(p, StandardCharsets.US_ASCII).lines().findFirst().orElseThrow();
            stats.add(FileChannel.open(Path.of("/proc", first, "statm")));
        }
        double stat = perSliver(n, () -> {
            long sum = 0;
            for (FileChannel c : stats) {
                buffer.clear();
                sum += read(c, buffer, 0);
            }
            return sum;
        });
        for (FileChannel c : stats) {
            c.close();
        }
        System.out.printf("    %-26s pread kept open %5.2f us%n", "/proc/<supervisor>/statm", stat);
        long t = THREADS.getCurrentThreadCpuTime();
        double nothing = perSliver(n, () -> THREADS.getCurrentThreadCpuTime() - t);
        System.out.printf("    %-26s %5.2f us%n", "(the loop itself)", nothing);
    }

    private static int read(FileChannel channel, ByteBuffer buffer, long position) {
        try {
            return position < 0 ? channel.read(buffer) : channel.read(buffer, position);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double perSliver(int n, LongSupplier round) {
        for (int i = 0; i < 20; i++) {
            round.getAsLong();
        }
        int rounds = 200;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            round.getAsLong();
        }
        return (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / rounds / n;
    }
}
