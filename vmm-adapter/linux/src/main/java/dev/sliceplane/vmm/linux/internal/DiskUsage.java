package dev.sliceplane.vmm.linux.internal;

import java.nio.file.Path;

import dev.sliceplane.vmm.spi.HomeSize;

/**
 * The bytes stored under one sliver's home, walked at most once per interval: walking a big tree
 * on every one-second sample would cost more than all the cgroup reads together.
 */
final class DiskUsage {

    private final long intervalNanos;
    private long bytes;
    private long walkedAt;
    private boolean walked;

    DiskUsage(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    long bytes(Path home, long nowNanos) {
        if (!walked || nowNanos - walkedAt >= intervalNanos) {
            bytes = HomeSize.bytesUnder(home);
            walkedAt = nowNanos;
            walked = true;
        }
        return bytes;
    }
}
