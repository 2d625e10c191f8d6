package dev.sliceplane.vmm.process.internal;

import java.util.EnumMap;
import java.util.Map;

import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;

/**
 * What this backend can honestly claim for each limit (the module README has the table).
 * Nothing here is {@code ENFORCED}: without cgroups the kernel enforces no sliver-wide limit.
 * <ul>
 * <li>CPU quota, memory, processes: the guard ({@link GuardedSliver}) acts within one period;
 * {@code APPROXIMATE}.</li>
 * <li>CPU weight: nice values (and the session's autogroup nice); {@code APPROXIMATE}. A process
 * that is not root cannot lower its nice value below where it started, so a weight that
 * needs that is {@code NOT_ENFORCED} for that sliver; without a {@code nice} program, always.</li>
 * <li>Disk: measured only; {@code NOT_ENFORCED}.</li>
 * </ul>
 * RLIMIT_NPROC is not used at all: it counts every process of the user, the node's own JVM
 * threads included, and root ignores it.
 */
final class EnforcementPolicy {

    private final boolean root;
    private final int ownNice;
    private final boolean niceAvailable;

    EnforcementPolicy(boolean root, int ownNice, boolean niceAvailable) {
        this.root = root;
        this.ownNice = ownNice;
        this.niceAvailable = niceAvailable;
    }

    /** For {@code BackendInfo}: every kind of limit. */
    Map<Limit, Enforcement> backend() {
        Map<Limit, Enforcement> all = new EnumMap<>(Limit.class);
        all.put(Limit.CPU_QUOTA, Enforcement.APPROXIMATE);
        all.put(Limit.CPU_WEIGHT, niceAvailable ? Enforcement.APPROXIMATE : Enforcement.NOT_ENFORCED);
        all.put(Limit.MEMORY, Enforcement.APPROXIMATE);
        all.put(Limit.PROCESSES, Enforcement.APPROXIMATE);
        all.put(Limit.DISK, Enforcement.NOT_ENFORCED);
        return all;
    }

    /** For one sliver's {@code SliverInfo}: the limits it has set. */
    Map<Limit, Enforcement> sliver(Limits limits) {
        Map<Limit, Enforcement> all = backend();
        if (limits.cpuWeight() != null && !canApply(CpuWeights.niceFor(limits.cpuWeight()))) {
            all.put(Limit.CPU_WEIGHT, Enforcement.NOT_ENFORCED);
        }
        all.keySet().retainAll(limits.asMap().keySet());
        return all;
    }

    /** Whether programs can be given this nice value. */
    boolean canApply(int nice) {
        return niceAvailable && (root || nice >= ownNice);
    }
}
