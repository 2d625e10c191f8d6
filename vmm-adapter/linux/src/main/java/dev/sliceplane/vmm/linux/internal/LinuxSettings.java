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
 */
record LinuxSettings(String cgroupRoot, int diskScanSeconds) {

    static final String CGROUP_ROOT = "cgroupRoot";
    static final String DISK_SCAN_SECONDS = "diskScanSeconds";

    private static final Pattern ROOT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*");

    static LinuxSettings of(BackendContext context) {
        String root = context.setting(CGROUP_ROOT, "sliceplane");
        if (!ROOT.matcher(root).matches() || root.contains("..")) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "invalid setting " + CGROUP_ROOT + "='" + root
                    + "': use a relative path of letters, digits, '_', '.' and '-' (for example sliceplane)");
        }
        String scan = context.setting(DISK_SCAN_SECONDS, "30");
        int seconds;
        try {
            seconds = Integer.parseInt(scan.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE,
                    "invalid setting " + DISK_SCAN_SECONDS + "='" + scan + "': use a whole number of seconds, 0 or more");
        }
        return new LinuxSettings(root, seconds);
    }
}
