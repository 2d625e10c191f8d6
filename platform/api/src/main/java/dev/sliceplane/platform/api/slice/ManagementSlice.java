package dev.sliceplane.platform.api.slice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The management slice of the calling bundle. Registered as a bundle-scoped service: each bundle
 * that declares a {@value SliceHeader#NAME} header and gets this service receives its own slice;
 * bundles without the header do not see the service.
 *
 * <p>Background work of the bundle runs on {@link #executor()} (or the schedule methods), so the
 * platform can meter it and hold it to the slice's CPU share. Tasks submitted while the slice is
 * over its share wait; tasks beyond the queue cap are rejected with
 * {@link java.util.concurrent.RejectedExecutionException}. The executor is shut down when the
 * bundle stops; callers must not shut it down themselves.
 */
@ProviderType
public interface ManagementSlice {

    /** The slice name, such as {@code mgmt_monitor}. */
    String name();

    /** The slice's limits. */
    SliceLimits limits();

    /** The executor for the bundle's background work. */
    ExecutorService executor();

    /** Runs {@code task} on the slice's executor after {@code delay}. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay);

    /**
     * Runs {@code task} on the slice's executor every {@code period}. A run that is still going
     * when the next is due delays the next rather than overlapping it.
     */
    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period);

    /** The slice's private data area, created on first use and kept across restarts. */
    Path dataArea();

    /** The slice's accounting now. */
    SliceUsage usage();

    /** Accounts one HTTP request served for this slice and the CPU time it took. */
    void recordRequest(long cpuNanos);
}
