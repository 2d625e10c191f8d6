package dev.sliceplane.vmm.linux.internal.cgroup;

import java.util.Optional;

/** Makes the driver for a detected layout. */
public final class CgroupDrivers {

    private CgroupDrivers() {
    }

    /**
     * The driver for this machine, or empty when neither cgroup layout is usable.
     *
     * @param cgroupRoot the Sliceplane root, relative to each hierarchy's mount point
     */
    public static Optional<CgroupDriver> forLayout(CgroupLayout layout, String cgroupRoot) {
        if (layout instanceof CgroupLayout.V2 v2) {
            return Optional.of(new V2Driver(v2.mount(), cgroupRoot));
        }
        if (layout instanceof CgroupLayout.V1 v1) {
            return Optional.of(new V1Driver(v1.controllers(), cgroupRoot));
        }
        return Optional.empty();
    }
}
