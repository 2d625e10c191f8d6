package dev.sliceplane.vmm.linux.internal.cgroup;

import dev.sliceplane.vmm.api.VmmException;

/**
 * A CPU cap in cores as the kernel's CFS bandwidth pair: {@code quota} microseconds of CPU per
 * {@code period}. The kernel wants a quota of at least 1 ms, so small caps use a longer period.
 */
record CpuQuota(long quotaMicros, long periodMicros) {

    static final long DEFAULT_PERIOD_MICROS = 100_000;
    static final long MAX_PERIOD_MICROS = 1_000_000;
    static final long MIN_QUOTA_MICROS = 1_000;

    static CpuQuota of(double cores) {
        for (long period : new long[] {DEFAULT_PERIOD_MICROS, MAX_PERIOD_MICROS}) {
            long quota = Math.round(cores * period);
            if (quota >= MIN_QUOTA_MICROS) {
                return new CpuQuota(quota, period);
            }
        }
        throw new VmmException(VmmException.Reason.INVALID_LIMIT,
                "cpu must be at least 0.001 cores (the kernel's minimum of 1 ms per second), was " + cores);
    }

    double cores() {
        return (double) quotaMicros / periodMicros;
    }

    /** v1 {@code cpu.shares} for a weight (100 is the default of both: 1024 shares). */
    static long sharesOf(int weight) {
        return Math.round(weight * 1024 / 100.0);
    }

    static int weightOf(long shares) {
        return (int) Math.max(1, Math.min(10_000, Math.round(shares * 100 / 1024.0)));
    }
}
