package dev.sliceplane.vmm.linux.internal;

import static dev.sliceplane.vmm.linux.internal.BenchSupport.loadAverage;
import static dev.sliceplane.vmm.linux.internal.BenchSupport.percentile;
import static dev.sliceplane.vmm.linux.internal.BenchSupport.removeRoot;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDriver;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDrivers;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupLayout;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;

/**
 * Benchmark of the linux backend (run by {@code bench/vmm-linux-bench.sh}, needs root):
 * create+destroy of an empty sliver; create, launch {@code /bin/true}, wait for its exit, destroy;
 * the same {@code /bin/true} through {@code crun run} when a bundle is given; and one sampling
 * pass over slivers each running {@code sleep}.
 *
 * <pre>
 * java [-DstateParent=/dev/shm] -cp ... dev.sliceplane.vmm.linux.internal.LinuxBackendBench [iterations] [launches] [slivers] [crun-bundle]
 * </pre>
 */
public final class LinuxBackendBench {

    private static final Limits LIMITS = new Limits(0.5, null, 256L << 20, 100, null);

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int launches = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int sampled = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path crunBundle = args.length > 3 ? Path.of(args[3]) : null;
        String root = "sliceplane-bench-" + UUID.randomUUID().toString().substring(0, 8);
        // The state directory's filesystem matters (a mkdir costs ~10 us on tmpfs, ~100 us on this VM's ext4).
        String stateParent = System.getProperty("stateParent", System.getProperty("java.io.tmpdir"));
        Path state = Files.createTempDirectory(Path.of(stateParent), "vmm-linux-bench");
        VmmEvent[] last = new VmmEvent[1];
        BackendContext context = new BackendContext(state, Map.of("cgroupRoot", root), e -> last[0] = e,
                Clock.systemUTC());
        try (VmmBackend backend = new LinuxBackendFactory().open(context)) {
            System.out.println("backend: " + backend.info().detail());
            System.out.printf("limits of every sliver: %s%n%n", LIMITS);

            int warmup = Integer.getInteger("warmup", 3000);
            System.out.printf("%d create+destroy pairs of warm-up%n%n", warmup);
            createDestroy(backend, warmup);
            Busy busy = new Busy();
            long[][] cd = createDestroy(backend, iterations);
            report("create + destroy, empty sliver", cd[0], iterations);
            report("  of which create", cd[1], iterations);
            report("  of which destroy", cd[2], iterations);
            busy.print();

            breakdown(context, iterations);

            launchTrue(backend, 50); // warm-up
            busy = new Busy();
            long[] lt = launchTrue(backend, launches);
            report("create + launch /bin/true + wait exit + destroy", lt, launches);
            busy.print();

            if (crunBundle != null) {
                crun(crunBundle, 10); // warm-up
                busy = new Busy();
                long[] cr = crun(crunBundle, Math.min(launches, 200));
                report("crun run /bin/true (minimal bundle)", cr, cr.length);
                busy.print();
                System.out.printf("ratio crun p50 / create+destroy p50: %.0fx; crun p50 / create+launch+exit+destroy p50: %.1fx%n",
                        percentile(cr, 50) / percentile(cd[0], 50), percentile(cr, 50) / percentile(lt, 50));
            }
            System.out.println();
            sampling(backend, context, sampled);
        } finally {
            removeRoot(root);
            RecordStore.deleteTree(state);
        }
    }

    private static long[][] createDestroy(VmmBackend backend, int n) {
        long[] total = new long[n];
        long[] create = new long[n];
        long[] destroy = new long[n];
        for (int i = 0; i < n; i++) {
            String name = "cd" + i;
            long t0 = System.nanoTime();
            backend.create(new SliverSpec(name, LIMITS));
            long t1 = System.nanoTime();
            backend.destroy(name);
            long t2 = System.nanoTime();
            total[i] = t2 - t0;
            create[i] = t1 - t0;
            destroy[i] = t2 - t1;
        }
        return new long[][] {total, create, destroy};
    }

    /**
     * The steps of create and destroy one by one, through the backend's own parts, to show where
     * the time goes: the state directory's filesystem or the cgroups.
     */
    private static void breakdown(BackendContext context, int n) throws Exception {
        String root = context.settings().get("cgroupRoot");
        CgroupDriver driver = CgroupDrivers.forLayout(CgroupLayout.detect(), root).orElseThrow();
        RecordStore store = new RecordStore(context.stateDirectory());
        String[] steps = {"mkdir sliver dir", "mkdir home", "cgroup mkdir (every hierarchy)", "write limits (+ read memory back)",
            "record: JSON, write, rename", "read cgroup.procs", "cgroup rmdir (every hierarchy)", "rename into trash"};
        long[][] took = new long[steps.length][n];
        try (Trash trash = new Trash(context.stateDirectory())) {
            for (int i = 0; i < n; i++) {
                String name = "bd" + i;
                long[] t = new long[steps.length + 1];
                t[0] = System.nanoTime();
                Files.createDirectory(store.dir(name));
                t[1] = System.nanoTime();
                Files.createDirectory(store.home(name));
                t[2] = System.nanoTime();
                driver.create(name);
                t[3] = System.nanoTime();
                Limits held = driver.apply(name, LIMITS, true);
                t[4] = System.nanoTime();
                store.write(new SliverRecord(name, context.clock().instant(), held, 0, 0, List.of()));
                t[5] = System.nanoTime();
                driver.processes(name);
                t[6] = System.nanoTime();
                driver.remove(name);
                t[7] = System.nanoTime();
                trash.discard(store.dir(name));
                t[8] = System.nanoTime();
                for (int k = 0; k < steps.length; k++) {
                    took[k][i] = t[k + 1] - t[k];
                }
            }
        }
        System.out.printf("  steps of create + destroy (%s):%n", context.stateDirectory());
        for (int k = 0; k < steps.length; k++) {
            System.out.printf("    %-40s p50 %6.1f us%n", steps[k], percentile(took[k], 50) / 1e3);
        }
    }

    private static long[] launchTrue(VmmBackend backend, int n) {
        long[] took = new long[n];
        for (int i = 0; i < n; i++) {
            String name = "lt" + i;
            long t0 = System.nanoTime();
            backend.create(new SliverSpec(name, LIMITS));
            backend.launch(name, ProgramSpec.of("/bin/true"));
            while (backend.find(name).orElseThrow().programs().get(0).exitCode() == null) {
                LockSupport.parkNanos(20_000);
            }
            backend.destroy(name);
            took[i] = System.nanoTime() - t0;
        }
        return took;
    }

    private static long[] crun(Path bundle, int n) throws Exception {
        long[] took = new long[n];
        for (int i = 0; i < n; i++) {
            String id = "sp-bench-" + ProcessHandle.current().pid() + "-" + i;
            long t0 = System.nanoTime();
            Process crun = new ProcessBuilder("crun", "run", "--bundle", bundle.toString(), id)
                    .redirectErrorStream(true).start();
            byte[] out = crun.getInputStream().readAllBytes();
            int code = crun.waitFor();
            took[i] = System.nanoTime() - t0;
            if (code != 0) {
                throw new IllegalStateException("crun run failed (" + code + "): " + new String(out));
            }
        }
        return took;
    }

    /** One usage() pass over slivers that each run a sleep: wall and CPU time of the sampling thread. */
    private static void sampling(VmmBackend backend, BackendContext context, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            backend.create(new SliverSpec("s" + i, LIMITS));
            backend.launch("s" + i, ProgramSpec.of("sleep", "600"));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 50; i++) {
            backend.usage(); // warm-up; the first pass also walks every home once
        }
        int passes = 300;
        Busy busy = new Busy();
        long[] wall = new long[passes];
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            if (backend.usage().size() != n) {
                throw new IllegalStateException("a sliver is missing from the sample");
            }
            wall[i] = System.nanoTime() - t0;
        }
        double cpuMsPerPass = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / passes;
        System.out.printf("sampling pass over %d slivers running sleep (disk figure cached), %d passes:%n", n, passes);
        System.out.printf("  wall p50 %.2f ms, p99 %.2f ms; CPU %.2f ms per pass (%.1f us per sliver)%n",
                percentile(wall, 50) / 1e6, percentile(wall, 99) / 1e6, cpuMsPerPass, cpuMsPerPass * 1000 / n);
        busy.print();
        double perSliverMs = cpuMsPerPass / n;
        System.out.printf("  extrapolated to 1,000 slivers at 1 Hz: %.1f ms CPU per second = %.1f%% of one core%n",
                perSliverMs * 1000, perSliverMs * 1000 / 1000 * 100);

        // A restart on the same state: re-attach, then passes that walk every home each time.
        Map<String, String> settings = Map.of("cgroupRoot", context.settings().get("cgroupRoot"), "diskScanSeconds", "0");
        long t0 = System.nanoTime();
        try (VmmBackend again = new LinuxBackendFactory().open(new BackendContext(context.stateDirectory(), settings,
                e -> { }, Clock.systemUTC()))) {
            System.out.printf("re-attach to %d running slivers (open): %.1f ms%n", n, (System.nanoTime() - t0) / 1e6);
            for (int i = 0; i < 20; i++) {
                again.usage();
            }
            long[] walking = new long[100];
            for (int i = 0; i < walking.length; i++) {
                long s = System.nanoTime();
                again.usage();
                walking[i] = System.nanoTime() - s;
            }
            System.out.printf("  pass with diskScanSeconds=0 (every home walked; homes hold a few files): wall p50 %.2f ms%n",
                    percentile(walking, 50) / 1e6);
        }

        // Stopped with SIGTERM so each supervisor reaps its sleep (no zombies left to PID 1).
        long s = System.nanoTime();
        for (int i = 0; i < n; i++) {
            backend.stop("s" + i, Duration.ofSeconds(5));
        }
        System.out.printf("stop (SIGTERM, grace 5 s) of %d slivers: %.1f ms each%n", n, (System.nanoTime() - s) / 1e6 / n);
        s = System.nanoTime();
        for (int i = 0; i < n; i++) {
            backend.destroy("s" + i);
        }
        System.out.printf("destroy of %d stopped slivers: %.2f ms each%n", n, (System.nanoTime() - s) / 1e6 / n);
    }

    private static void report(String what, long[] nanos, int n) {
        System.out.printf("%-50s n=%-5d p50 %8.3f ms   p99 %8.3f ms   max %8.3f ms%n", what, n,
                percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6, Arrays.stream(nanos).max().orElse(0) / 1e6);
    }

    /**
     * How busy the whole machine was during a section (from /proc/stat, this benchmark included),
     * so a reader can tell a quiet run from one shared with other work.
     */
    private static final class Busy {
        private final long[] start = cpu();
        private final long nanos = System.nanoTime();

        void print() {
            long[] end = cpu();
            double seconds = (System.nanoTime() - nanos) / 1e9;
            double ticks = 100.0; // USER_HZ
            System.out.printf("    (machine busy %.2f of %d CPUs during this section, %.1f s; load average %s)%n",
                    (end[0] - start[0]) / ticks / seconds, Runtime.getRuntime().availableProcessors(), seconds, loadAverage());
        }

        /** Busy jiffies (user, nice, system, irq, softirq, steal) summed over CPUs. */
        private static long[] cpu() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    busy += Long.parseLong(f[i]);
                }
                return new long[] {busy};
            } catch (java.io.IOException e) {
                return new long[] {0};
            }
        }
    }
}
