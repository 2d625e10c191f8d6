package dev.sliceplane.nodemanager.internal;

import java.util.ArrayList;
import java.util.List;

import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.vmm.api.NodeCapacity;

/**
 * What the node can give slices under its policy. The VMM reports cores, memory and disk; it
 * has no figure for processes, so this takes {@value #PROCESSES_PER_CORE} per core: far below
 * the kernel's pid limit (a sliver's threads count too), enough for a few hundred busy slivers.
 */
final class Capacity {

    /** The processes (tasks, threads included) the node offers per core. */
    static final int PROCESSES_PER_CORE = 1024;

    private Capacity() {
    }

    /** The node as the VMM sees it, processes added. */
    static Resources of(NodeCapacity node) {
        return new Resources(node.cores(), node.memoryBytes(),
                (int) Math.min(Integer.MAX_VALUE, (long) PROCESSES_PER_CORE * node.cores()), node.diskBytes());
    }

    /** What slices may hold in all: the node less the reserved share, times the oversubscription. */
    static Resources forSlices(NodeCapacity node, Policy policy) {
        return of(node).times(1 - policy.reservedShare()).times(policy.oversubscription());
    }

    /**
     * One reason per dimension in which {@code wanted} exceeds {@code free}; empty when it fits.
     * Without {@code diskKnown} (the VMM reports a disk size of 0, its "unknown", as when it could
     * not measure its file system) disk is not held against the request, as the VMM itself does.
     */
    static List<Reason> shortfalls(Resources wanted, Resources free, String node, boolean diskKnown) {
        List<Reason> reasons = new ArrayList<>();
        if (wanted.cpu() > free.cpu() + 1e-9) {
            reasons.add(new Reason("capacity", node, "capacity.cpu", "asks " + wanted.cpu() + " cores; "
                    + String.format(java.util.Locale.ROOT, "%.3f", free.cpu()) + " free"));
        }
        if (wanted.memory() > free.memory()) {
            reasons.add(new Reason("capacity", node, "capacity.memory", "asks " + wanted.memory()
                    + " bytes of memory; " + free.memory() + " free"));
        }
        if (wanted.processes() > free.processes()) {
            reasons.add(new Reason("capacity", node, "capacity.processes", "asks " + wanted.processes()
                    + " processes; " + free.processes() + " free"));
        }
        if (diskKnown && wanted.disk() > free.disk()) {
            reasons.add(new Reason("capacity", node, "capacity.disk", "asks " + wanted.disk() + " bytes of disk; "
                    + free.disk() + " free"));
        }
        return reasons;
    }
}
