package dev.sliceplane.vmm.linux.internal;

/**
 * A sliver the backend is attached to: its record as last written, the cached size of its home,
 * and the highest memory seen (for kernels that keep no peak themselves). Guarded by the backend.
 */
final class Sliver {

    SliverRecord record;
    final DiskUsage disk;
    private long peakSeen;

    Sliver(SliverRecord record, long diskScanNanos) {
        this.record = record;
        this.disk = new DiskUsage(diskScanNanos);
    }

    String name() {
        return record.name();
    }

    /** The highest memory figure seen since the backend attached. */
    long notePeak(long memoryBytes) {
        peakSeen = Math.max(peakSeen, memoryBytes);
        return peakSeen;
    }
}
