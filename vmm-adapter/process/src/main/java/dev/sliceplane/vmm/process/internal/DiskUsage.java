package dev.sliceplane.vmm.process.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.sliceplane.vmm.spi.HomeSize;

/**
 * The bytes under each sliver's home: the apparent sizes of its regular files, symbolic
 * links not followed. Walking a large home is slow, so a figure is reused until it is
 * older than the interval. Not thread-safe: used by the sampling thread.
 */
final class DiskUsage {

    private record Figure(long bytes, long atNanos) {
    }

    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Figure> figures = new HashMap<>();

    DiskUsage(Duration maxAge, LongSupplier nanoTime) {
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    long bytes(String sliver, Path home) {
        long now = nanoTime.getAsLong();
        Figure figure = figures.get(sliver);
        if (figure == null || now - figure.atNanos() >= maxAgeNanos) {
            figure = new Figure(HomeSize.bytesUnder(home), now);
            figures.put(sliver, figure);
        }
        return figure.bytes();
    }

    void forget(String sliver) {
        figures.remove(sliver);
    }
}
