package dev.sliceplane.vmm.linux.internal;

import java.util.regex.Pattern;

import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.spi.BackendContext;

/**
 * The backend's settings from {@link BackendContext#settings()}.
 *
 * @param cgroupRoot      the Sliceplane root, relative to each cgroup hierarchy's mount point
 *                        ({@code cgroupRoot}, default {@code sliceplane}); tests use a root of their own
 * @param diskScanSeconds how old the cached disk figure of a sliver may get before its home is
 *                        walked again ({@code diskScanSeconds}, default 30; 0 walks on every sample)
 * @param eventReadPasses the most sampling passes between two reads of a sliver's memory usage, its peak and
 *                        event counters (OOM kills, refused forks), and two looks at its adopted
 *                        supervisors, when nothing suggests they moved ({@code eventReadPasses},
 *                        default 10, at least 1; 1 reads them on every pass); see
 *                        {@link EventCounterSchedule}
 */
record LinuxSettings(String cgroupRoot, int diskScanSeconds, int eventReadPasses) {

    static final String CGROUP_ROOT = "cgroupRoot";
    static final String DISK_SCAN_SECONDS = "diskScanSeconds";
    static final String EVENT_READ_PASSES = "eventReadPasses";

    private static final Pattern ROOT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*");

    static LinuxSettings of(BackendContext context) {
        String root = context.setting(CGROUP_ROOT, "sliceplane");
        if (!ROOT.matcher(root).matches() || root.contains("..")) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "invalid setting " + CGROUP_ROOT + "='" + root
                    + "': use a relative path of letters, digits, '_', '.' and '-' (for example sliceplane)");
        }
        int scan = whole(context, DISK_SCAN_SECONDS, "30", 0, "seconds");
        int passes = whole(context, EVENT_READ_PASSES, "10", 1, "passes");
        return new LinuxSettings(root, scan, passes);
    }

    private static int whole(BackendContext context, String key, String fallback, int least, String unit) {
        String text = context.setting(key, fallback);
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            value = least - 1;
        }
        if (value < least) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE,
                    "invalid setting " + key + "='" + text + "': use a whole number of " + unit + ", " + least + " or more");
        }
        return value;
    }
}
