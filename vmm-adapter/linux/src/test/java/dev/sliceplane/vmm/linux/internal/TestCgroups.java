package dev.sliceplane.vmm.linux.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDriver;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDrivers;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupLayout;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackendFactory.Availability;

/**
 * Real cgroups for a test: a Sliceplane root of its own ({@code sliceplane-test-<random>}) so a
 * test never meets a running node's slivers or another test run's, removed with everything in
 * it afterwards. Tests that need it skip when this process is not root or cgroups are not writable.
 */
final class TestCgroups implements AutoCloseable {

    static final String SKIP = "linux backend tests need root and writable cgroups";

    final String root = "sliceplane-test-" + UUID.randomUUID().toString().substring(0, 8);
    final CgroupLayout layout;
    final CgroupDriver driver;

    private TestCgroups(CgroupLayout layout) {
        this.layout = layout;
        this.driver = CgroupDrivers.forLayout(layout, root).orElseThrow();
    }

    /** Skips the calling test unless the linux backend can run here. */
    static TestCgroups require() {
        CgroupLayout layout = CgroupLayout.detect();
        Availability availability = LinuxBackendFactory.probe(Path.of("/proc/self/status"), layout);
        assumeTrue(availability.usable(), SKIP + " (" + availability.reason() + ")");
        return new TestCgroups(layout);
    }

    BackendContext context(Path state, Consumer<VmmEvent> events) {
        return context(state, events, Map.of());
    }

    BackendContext context(Path state, Consumer<VmmEvent> events, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put(LinuxSettings.CGROUP_ROOT, root);
        return new BackendContext(state, settings, events, Clock.systemUTC());
    }

    LinuxBackend open(Path state, Consumer<VmmEvent> events) {
        return (LinuxBackend) new LinuxBackendFactory().open(context(state, events));
    }

    /** The mount point of every hierarchy in use (one on v2). */
    Set<Path> mounts() {
        if (layout instanceof CgroupLayout.V2 v2) {
            return Set.of(v2.mount());
        }
        return new LinkedHashSet<>(((CgroupLayout.V1) layout).controllers().values());
    }

    /** A sliver's cgroup directory in every hierarchy. */
    List<Path> dirs(String sliver) {
        return mounts().stream().map(m -> m.resolve(root).resolve(sliver)).toList();
    }

    /** The directory of a sliver's cgroup in the hierarchy of a v1 controller (or the v2 one). */
    Path dir(String controller, String sliver) {
        if (layout instanceof CgroupLayout.V1 v1) {
            return v1.controllers().get(controller).resolve(root).resolve(sliver);
        }
        return ((CgroupLayout.V2) layout).mount().resolve(root).resolve(sliver);
    }

    boolean isV1() {
        return layout instanceof CgroupLayout.V1;
    }

    /** Every process whose /proc/<pid>/cgroup places it in the sliver, in any hierarchy. */
    List<Long> processesIn(String sliver) {
        String marker = "/" + root + "/" + sliver;
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try {
                    for (String line : Files.readAllLines(proc.resolve("cgroup"))) {
                        if (line.endsWith(marker) || line.contains(marker + "/")) {
                            found.add(Long.parseLong(proc.getFileName().toString()));
                            break;
                        }
                    }
                } catch (IOException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out after " + timeout + " waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Whether a process exists and is not a zombie. A killed program's orphaned children are
     * reparented to PID 1, which on some CI machines never reaps them: they linger as zombies,
     * out of every cgroup and holding no memory.
     */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills whatever is left under the test root and removes it, in every hierarchy. */
    @Override
    public void close() {
        for (String sliver : driver.sliverCgroups()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (driver.processes(sliver).length > 0 && System.nanoTime() < deadline) {
                driver.killAll(sliver);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            driver.remove(sliver);
        }
        for (Path mount : mounts()) {
            try {
                Files.deleteIfExists(mount.resolve(root));
            } catch (IOException e) {
                throw new AssertionError("cannot remove test root " + mount.resolve(root), e);
            }
        }
    }
}
