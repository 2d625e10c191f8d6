package dev.sliceplane.discovery.jgroups.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.platform.api.slice.SliceLimits;
import dev.sliceplane.platform.api.slice.SliceUsage;

/** A management slice for tests: plain executors, no metering. */
final class TestSlice implements ManagementSlice, AutoCloseable {

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);

    @Override
    public String name() {
        return "mgmt_discovery";
    }

    @Override
    public SliceLimits limits() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ExecutorService executor() {
        return executor;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        return executor.scheduleWithFixedDelay(task, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Path dataArea() {
        throw new UnsupportedOperationException();
    }

    @Override
    public SliceUsage usage() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void recordRequest(long cpuNanos) {
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
