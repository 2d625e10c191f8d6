package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What the linux backend's benchmarks share: the machine's load, percentiles, and their cleanup. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them; "?" when unreadable. */
    static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }

    /** The {@code p}th percentile (nearest rank) of {@code values}. */
    static double percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Removes a bench's cgroup root in every hierarchy (its slivers were destroyed). */
    static void removeRoot(String root) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (line.contains(" - cgroup")) {
                Files.deleteIfExists(Path.of(f[4], root));
            }
        }
    }
}
