package dev.sliceplane.nodemanager.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.linux.internal.LinuxBackendFactory;

/**
 * Time from redemption to a running sliver program on the linux backend (real cgroups; needs
 * root): {@link NodeManager#redeem} of a ticket (the whole checked, journaled path), then
 * {@link NodeManager#launch} of {@code /usr/bin/touch <marker>} in the new sliver, until the
 * marker file exists (polled every 20 µs): the program has not only been spawned but has run.
 * Each repetition uses a slice of its own and releases its lease afterwards (sliver and cgroups
 * destroyed, outside the timing). The cgroup root ({@code sliceplane-acqbench-<random>}) and every
 * file are removed at the end. Run by bench/acquisition-bench.sh; Surefire never runs it.
 *
 * <p>Arguments: repetitions (default 300), warm-up repetitions (default 50).
 */
public final class LinuxRedeemBench {

    private static final Resources TICKET = Fixture.SMALL;

    private LinuxRedeemBench() {
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        if (!"root".equals(System.getProperty("user.name"))) {
            System.out.println("SKIPPED: the linux backend needs root (cgroups); run as root");
            return;
        }
        String root = "sliceplane-acqbench-" + UUID.randomUUID().toString().substring(0, 8);
        Path directory = Files.createTempDirectory(Path.of(System.getProperty("stateParent", "/tmp")), "acq-linux-bench");
        Path markers = Files.createDirectories(directory.resolve("markers"));
        // The program may run under another uid: anyone may write the marker.
        Files.setPosixFilePermissions(markers, PosixFilePermissions.fromString("rwxrwxrwx"));
        Fixture fixture = new Fixture(directory);
        BackendVmm vmm = new BackendVmm(directory.resolve("linux"), new LinuxBackendFactory(),
                Map.of("cgroupRoot", root, "diskScanSeconds", "0"));
        try {
            fixture.start(vmm);
            System.out.println("backend: " + vmm.backend().detail());
            String certificate = fixture.certificate(fixture.authorityKey, c -> { });
            run(fixture, markers, certificate, "warm", warmup);
            double[][] ms = run(fixture, markers, certificate, "rep", repetitions);
            print("redeem (ticket -> lease: checks, journal fsync x2, sliver with cgroups, keys)", ms[0]);
            print("launch (spawn /usr/bin/touch in the sliver's cgroups)", ms[1]);
            print("until the marker exists (the program ran)", ms[2]);
            print("REDEMPTION TO RUNNING PROGRAM, total", ms[3]);
            System.out.printf("leases left: %d, slivers left: %d%n", fixture.manager.leaseCount(), vmm.list().size());
        } finally {
            fixture.close();
            vmm.close();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (line.contains(" - cgroup")) {
                    Files.deleteIfExists(Path.of(f[4], root));
                }
            }
            BenchFiles.deleteTree(directory);
        }
    }

    /** {@code n} repetitions: per repetition the redeem, launch, wait and total times (ms), each sorted. */
    private static double[][] run(Fixture fixture, Path markers, String certificate, String prefix, int n)
            throws Exception {
        double[][] ms = new double[4][n];
        Caller member = Fixture.member();
        for (int i = 0; i < n; i++) {
            String slice = "princeton_" + prefix + i;
            fixture.addSlice(slice, fixture.clock.instant().plus(Duration.ofDays(30)), Fixture.MEMBER);
            String ticket = fixture.ticket(slice, TICKET, c -> { }, certificate, fixture.agentKey);
            Path marker = markers.resolve(prefix + i);
            ProgramSpec touch = new ProgramSpec(List.of("/usr/bin/touch", marker.toString()), Map.of(), null);
            long t0 = System.nanoTime();
            Lease lease = fixture.manager.redeem(ticket, member);
            long t1 = System.nanoTime();
            ProgramInfo program = fixture.manager.launch(lease.id(), touch, member);
            long t2 = System.nanoTime();
            long deadline = t2 + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(marker)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("program " + program.pid() + " never wrote " + marker);
                }
                LockSupport.parkNanos(20_000);
            }
            long t3 = System.nanoTime();
            ms[0][i] = (t1 - t0) / 1e6;
            ms[1][i] = (t2 - t1) / 1e6;
            ms[2][i] = (t3 - t2) / 1e6;
            ms[3][i] = (t3 - t0) / 1e6;
            fixture.manager.release(lease.id(), member);
        }
        for (double[] row : ms) {
            Arrays.sort(row);
        }
        return ms;
    }

    private static void print(String what, double[] sorted) {
        System.out.printf("%-80s n=%d p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, sorted.length,
                BenchFiles.percentile(sorted, 50), BenchFiles.percentile(sorted, 90),
                BenchFiles.percentile(sorted, 99), sorted[sorted.length - 1]);
    }
}
