package dev.sliceplane.vmm.linux.internal;

import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDriver;
import dev.sliceplane.vmm.linux.internal.cgroup.SliverCounters;

/**
 * A sliver the backend is attached to: its record as last written, its cgroup counters (open
 * from the first sample on), the cached size of its home, and the highest memory seen (for
 * kernels that keep no peak themselves). Guarded by the backend.
 */
final class Sliver {

    SliverRecord record;
    final DiskUsage disk;
    private SliverCounters counters;
    /** Whether the last sample failed, so the failure is logged once, not every second. */
    boolean sampleFailing;
    private long peakSeen;

    Sliver(SliverRecord record, long diskScanNanos) {
        this.record = record;
        this.disk = new DiskUsage(diskScanNanos);
    }

    String name() {
        return record.name();
    }

    SliverCounters counters(CgroupDriver driver) {
        if (counters == null) {
            counters = driver.counters(name());
        }
        return counters;
    }

    /** Closes the counters' files; the next sample opens them again. */
    void closeCounters() {
        if (counters != null) {
            counters.close();
            counters = null;
        }
    }

    /** The highest memory figure seen since the backend attached. */
    long notePeak(long memoryBytes) {
        peakSeen = Math.max(peakSeen, memoryBytes);
        return peakSeen;
    }
}
