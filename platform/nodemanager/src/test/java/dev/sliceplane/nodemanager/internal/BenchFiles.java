package dev.sliceplane.nodemanager.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.sliceplane.vmm.simulated.SimulatedBackendFactory;
import dev.sliceplane.vmm.simulated.SimulationSettings;

/** Helpers the acquisition benchmarks share: a big simulated VMM, percentiles, deleting a tree. */
final class BenchFiles {

    private BenchFiles() {
    }

    /**
     * A simulated VMM (the real backend SPI, modelled node) of 4,096 cores, 64 TiB of memory and
     * 1 PiB of disk, so thousands of small leases fit, with nothing persisted: the figure is the
     * node manager's own cost, not the simulation's record files.
     */
    static BackendVmm simulatedVmm(Path state, long seed) {
        return new BackendVmm(state, new SimulatedBackendFactory(), Map.of(
                SimulationSettings.SEED, Long.toString(seed),
                SimulationSettings.CORES, "4096",
                SimulationSettings.MEMORY_BYTES, Long.toString(64L << 40),
                SimulationSettings.DISK_BYTES, Long.toString(1L << 50),
                SimulationSettings.PERSIST, "false"));
    }

    /** The {@code p}-th percentile (nearest rank) of {@code sorted}. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
