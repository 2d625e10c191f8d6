package dev.sliceplane.vmm.process.internal;

import java.time.Duration;

import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.spi.BackendContext;

/**
 * The backend's settings ({@link BackendContext#settings()}); unknown keys are ignored.
 *
 * @param guardPeriod        {@code guardPeriodMillis}, default 100, in [10, 10000]: how often the
 *                           guard scans /proc to throttle CPU and to enforce memory and process limits
 * @param diskScanInterval   {@code diskScanSeconds}, default 30, at least 0: how old a sliver's
 *                           disk figure may be before its home is walked again
 * @param addressSpaceFactor {@code addressSpaceFactor}, default 4, in [0, 1000]: each process's
 *                           RLIMIT_AS is the memory limit times this; 0 sets no RLIMIT_AS
 * @param killTimeout        {@code killTimeoutSeconds}, default 10, at least 1: how long stop, kill and
 *                           destroy keep killing (a fork bomb forks while it dies) before they fail
 */
record ProcessSettings(Duration guardPeriod, Duration diskScanInterval, double addressSpaceFactor,
                       Duration killTimeout) {

    static ProcessSettings from(BackendContext context) {
        return new ProcessSettings(
                Duration.ofMillis(whole(context, "guardPeriodMillis", "100", 10, 10_000)),
                Duration.ofSeconds(whole(context, "diskScanSeconds", "30", 0, Integer.MAX_VALUE)),
                decimal(context, "addressSpaceFactor", "4", 0, 1000),
                Duration.ofSeconds(whole(context, "killTimeoutSeconds", "10", 1, 3600)));
    }

    private static long whole(BackendContext context, String key, String defaultValue, long min, long max) {
        double value = decimal(context, key, defaultValue, min, max);
        if (value != Math.rint(value)) {
            throw invalid(key, context.setting(key, defaultValue), "a whole number");
        }
        return (long) value;
    }

    private static double decimal(BackendContext context, String key, String defaultValue, double min, double max) {
        String text = context.setting(key, defaultValue).trim();
        try {
            double value = Double.parseDouble(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, text, "a number in [" + fmt(min) + ", " + fmt(max) + "]");
    }

    private static VmmException invalid(String key, String value, String expected) {
        return new VmmException(VmmException.Reason.BACKEND_FAILURE,
                "process backend setting " + key + " must be " + expected + ", was '" + value + "'");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
