package dev.sliceplane.monitor.internal.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sliceplane.platform.api.slice.SliceLimits;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.api.slice.SliceState;
import dev.sliceplane.platform.api.slice.SliceUsage;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmSnapshot;

/** Builds VMM samples and slice snapshots with chosen times and counters. */
public final class Samples {

    public static final long GIB = 1L << 30;

    /** The node's counters for the next sample; the test changes them between samples. */
    public double cpuBusy = 0.25;
    public long ethRx;
    public long ethTx;
    public long loRx;
    private long sequence;
    public final List<SliverUsage> slivers = new ArrayList<>();

    public VmmSnapshot at(Instant at) {
        NodeStatus status = new NodeStatus(at, false, 4, 1.5, 1.0, 0.5,
                new NodeStatus.CpuTimes(10, 0, 5, 100, 1, 0, 0, 0), cpuBusy, 8 * GIB, 6 * GIB, 2 * GIB, GIB,
                new NodeStatus.Filesystem("/var/lib/sliceplane", "/dev/sda1", "ext4", 100 * GIB, 60 * GIB, 50 * GIB),
                1.7e9, 3600, List.of(new NodeStatus.NetworkCounters("lo", loRx, loRx),
                        new NodeStatus.NetworkCounters("eth0", ethRx, ethTx),
                        new NodeStatus.NetworkCounters("eth1", 1000, 2000)));
        return new VmmSnapshot(++sequence, at, "test", false, status, slivers);
    }

    /** Sets (replacing any of the same name) a sliver's usage for the next samples. */
    public void sliver(String name, double cpuSeconds, Long memory, Long rx, Long tx) {
        slivers.removeIf(s -> s.name().equals(name));
        slivers.add(new SliverUsage(name, SliverState.RUNNING, cpuSeconds, memory, memory, 3, 4096L, rx, tx, 0));
    }

    public void remove(String name) {
        slivers.removeIf(s -> s.name().equals(name));
    }

    public static SliceSnapshot slice(String name, long cpuNanos, long allocated, int threads, Instant at) {
        return new SliceSnapshot(name, 7, "dev.sliceplane." + name.substring(5), SliceState.RUNNING, "",
                new SliceLimits(0.25, 2, 1000, 1 << 20),
                new SliceUsage(cpuNanos, 0, allocated, threads, 1, 10, 0, 5, 100, 0, 0.1), at);
    }
}
