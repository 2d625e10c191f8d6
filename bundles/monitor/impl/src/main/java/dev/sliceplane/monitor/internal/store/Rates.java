package dev.sliceplane.monitor.internal.store;

import java.time.Instant;

/** Rates between consecutive samples, and the times they are computed from. */
final class Rates {

    /** A previous time that was never set: the first sample of a subject has no rate. */
    static final long NO_TIME = Long.MIN_VALUE;

    private Rates() {
    }

    static long epochNanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /**
     * Per second from {@code previous} at {@code previousNanos} to {@code current} at {@code
     * nowNanos}; null on a first sample, a counter that went back (a reset) or no time elapsed.
     */
    static Double perSecond(double current, double previous, long nowNanos, long previousNanos) {
        if (previousNanos == NO_TIME || nowNanos <= previousNanos || current < previous
                || Double.isNaN(current) || Double.isNaN(previous)) {
            return null;
        }
        return (current - previous) * 1e9 / (nowNanos - previousNanos);
    }

    /** NaN for null: a figure the history skips. */
    static double orNaN(Number value) {
        return value == null ? Double.NaN : value.doubleValue();
    }
}
