package dev.sliceplane.monitor.internal.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.internal.AuthorityClock;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * The monitor's health judgements as pure functions of figures, thresholds and the time, so each
 * can be tested without a framework; the check components only gather their inputs.
 */
final class Judgements {

    private Judgements() {
    }

    /** {@code disk}: how full the filesystem holding the node's data is. */
    static HealthResult disk(Optional<NodeFigures> node, HealthThresholds limits) {
        if (node.isEmpty() || node.get().diskSizeBytes() <= 0) {
            return HealthResult.up("no sample yet");
        }
        NodeFigures figures = node.get();
        double used = figures.diskUsed() * 100;
        String message = String.format(Locale.ROOT, "%s %.1f %% used, %s available", figures.diskPath(), used,
                bytes(figures.diskAvailBytes()));
        if (used >= limits.diskDownPercent()) {
            return HealthResult.down(message + " (DOWN at " + percent(limits.diskDownPercent()) + ")");
        }
        if (used >= limits.diskWarnPercent()) {
            return HealthResult.warn(message + " (WARN at " + percent(limits.diskWarnPercent()) + ")");
        }
        return HealthResult.up(message);
    }

    /** {@code memory}: MemAvailable as a share of MemTotal. */
    static HealthResult memory(Optional<NodeFigures> node, HealthThresholds limits) {
        if (node.isEmpty() || node.get().memTotalBytes() <= 0) {
            return HealthResult.up("no sample yet");
        }
        NodeFigures figures = node.get();
        double available = 100.0 * figures.memAvailableBytes() / figures.memTotalBytes();
        String message = String.format(Locale.ROOT, "%s of %s available (%.1f %%)", bytes(figures.memAvailableBytes()),
                bytes(figures.memTotalBytes()), available);
        if (available < limits.memoryDownPercent()) {
            return HealthResult.down(message + " (DOWN below " + percent(limits.memoryDownPercent()) + ")");
        }
        if (available < limits.memoryWarnPercent()) {
            return HealthResult.warn(message + " (WARN below " + percent(limits.memoryWarnPercent()) + ")");
        }
        return HealthResult.up(message);
    }

    /**
     * {@code clock}: the offset against the authority that the reports measured. Judged by what is
     * known for certain, {@code |offset| − error}, so a slow round trip does not pass for skew.
     */
    static HealthResult clock(Optional<AuthorityClock.Offset> latest, HealthThresholds limits, Instant now) {
        if (latest.isEmpty()) {
            return HealthResult.up("no measurement yet: no report has been answered by the authority");
        }
        AuthorityClock.Offset offset = latest.get();
        double skew = Math.max(0, Math.abs(offset.offsetSeconds()) - offset.errorSeconds());
        String message = String.format(Locale.ROOT, "offset %+.3f s ± %.3f s, measured %s ago", offset.offsetSeconds(),
                offset.errorSeconds(), age(Duration.between(offset.measuredAt(), now)));
        if (skew > limits.clockDownSeconds()) {
            return HealthResult.down(message + " (DOWN beyond " + seconds(limits.clockDownSeconds())
                    + ": ticket and lease windows are unreliable)");
        }
        if (skew > limits.clockWarnSeconds()) {
            return HealthResult.warn(message + " (WARN beyond " + seconds(limits.clockWarnSeconds()) + ")");
        }
        return HealthResult.up(message);
    }

    /**
     * {@code samples}: the age of the monitor's latest sample, in VMM sample periods. Before the
     * first sample the age is counted from {@code since} (when the check started watching).
     */
    static HealthResult samples(Optional<Instant> latest, Instant since, Duration period, HealthThresholds limits,
            Instant now) {
        Duration age = Duration.between(latest.orElse(since), now);
        String message = latest.isPresent()
                ? "latest sample " + age(age) + " ago (period " + age(period) + ")"
                : "no sample in " + age(age) + " (period " + age(period) + ")";
        if (older(age, period, limits.staleDownPeriods())) {
            return HealthResult.down(message + ": the monitor has stopped sampling");
        }
        if (older(age, period, limits.staleWarnPeriods())) {
            return HealthResult.warn(message + ": the monitor is falling behind");
        }
        return HealthResult.up(message);
    }

    /**
     * {@code vmm}: a node needs a VMM backend, and the backend's own sampling must be going: a
     * sample that fails is not recorded, so its latest sample grows old.
     *
     * @param backend  the running backend's label, empty when no VMM runs
     * @param latest   when the VMM's latest sample was taken, empty before the first
     * @param isNode   whether this process plays the node role (an authority alone has no VMM)
     */
    static HealthResult vmm(Optional<String> backend, Optional<Instant> latest, int slivers, boolean isNode,
            Duration period, HealthThresholds limits, Instant now) {
        if (backend.isEmpty()) {
            return isNode
                    ? HealthResult.down("no VMM backend is running; the node log says why (dev.sliceplane.vmm)")
                    : HealthResult.up("not a node: no slivers here");
        }
        if (latest.isEmpty()) {
            return HealthResult.up(backend.get() + ": no sample yet");
        }
        Duration age = Duration.between(latest.get(), now);
        if (older(age, period, limits.staleWarnPeriods())) {
            return HealthResult.warn(backend.get() + ": sampling fails or has stopped; last sample " + age(age)
                    + " ago (period " + age(period) + ")");
        }
        return HealthResult.up(backend.get() + ": " + slivers + " slivers");
    }

    private static boolean older(Duration age, Duration period, double periods) {
        return age.toNanos() > period.toNanos() * periods;
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.0f %%", value);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%g s", value);
    }

    private static String age(Duration age) {
        long millis = Math.max(0, age.toMillis());
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }

    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
