package dev.sliceplane.platform.internal.slice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.framework.Bundle;

import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.platform.api.slice.SliceLimits;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.api.slice.SliceState;
import dev.sliceplane.platform.api.slice.SliceUsage;

/**
 * One running management slice: the executor its bundle's background work runs on, and the
 * accounting of that work. CPU and allocation are measured per thread (the JVM's thread CPU
 * clock), so they count exactly this slice's threads; the {@link SliceExtender}'s sampler calls
 * {@link #sample} on a fixed tick to settle the CPU budget and work out the state.
 */
final class ManagedSlice implements ManagementSlice {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final String name;
    private final Bundle bundle;
    private final SliceLimits limits;
    private final Path dataArea;
    private final ScheduledExecutorService timer;
    private final CpuBudget budget;
    private final SliceExecutor pool;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean dataAreaCreated = new AtomicBoolean();

    private final LongAdder retiredCpuNanos = new LongAdder();
    private final LongAdder retiredAllocatedBytes = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder httpRequests = new LongAdder();
    private final LongAdder httpCpuNanos = new LongAdder();
    private final LongAdder throttledNanos = new LongAdder();

    // Sampler state: written only by the sampler thread, read by anyone.
    private long lastThreadCpuNanos;
    private long lastSampleNanos;
    private long inDebtSinceNanos = -1;
    private volatile double recentCpuShare;
    private volatile long dataBytes;
    private volatile SliceState state = SliceState.RUNNING;
    private volatile String reason = "";
    private volatile Instant sampledAt = Instant.now();

    ManagedSlice(String name, Bundle bundle, SliceLimits limits, Path dataArea, ScheduledExecutorService timer,
            Duration burst) {
        this.name = name;
        this.bundle = bundle;
        this.limits = limits;
        this.dataArea = dataArea;
        this.timer = timer;
        this.budget = new CpuBudget(limits.cpuShare(), burst.toNanos());
        this.pool = new SliceExecutor();
        this.lastSampleNanos = System.nanoTime();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SliceLimits limits() {
        return limits;
    }

    @Override
    public ExecutorService executor() {
        return pool;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return timer.schedule(() -> submitQuietly(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        // The timer only hands the task over; a run still queued or running makes the next one skip.
        AtomicBoolean pending = new AtomicBoolean();
        Runnable once = () -> {
            try {
                task.run();
            } finally {
                pending.set(false);
            }
        };
        return timer.scheduleAtFixedRate(() -> {
            if (pending.compareAndSet(false, true) && !submitQuietly(once)) {
                pending.set(false);
            }
        }, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    private boolean submitQuietly(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // counted by the executor
        }
    }

    @Override
    public Path dataArea() {
        if (dataAreaCreated.compareAndSet(false, true)) {
            try {
                Files.createDirectories(dataArea);
            } catch (IOException e) {
                dataAreaCreated.set(false);
                throw new UncheckedIOException("cannot create the data area of slice " + name, e);
            }
        }
        return dataArea;
    }

    @Override
    public SliceUsage usage() {
        long threadCpu = threadCpuNanos();
        long http = httpCpuNanos.sum();
        return new SliceUsage(threadCpu + http, http, allocatedBytes(), threads.size(), pool.getQueue().size(),
                pool.getCompletedTaskCount(), rejected.sum(), httpRequests.sum(), dataBytes, throttledNanos.sum(),
                recentCpuShare);
    }

    @Override
    public void recordRequest(long cpuNanos) {
        httpRequests.increment();
        httpCpuNanos.add(Math.max(0, cpuNanos));
    }

    Bundle bundle() {
        return bundle;
    }

    SliceState state() {
        return state;
    }

    SliceSnapshot snapshot() {
        return new SliceSnapshot(name, bundle.getBundleId(), bundle.getSymbolicName(), state, reason, limits, usage(),
                sampledAt);
    }

    /**
     * Settles the CPU budget for the time since the last sample and works out the state.
     *
     * @param violationAfter how long a slice may stay in debt before it counts as violating
     */
    void sample(Duration violationAfter) {
        long now = System.nanoTime();
        long cpu = threadCpuNanos();
        long used = Math.max(0, cpu - lastThreadCpuNanos);
        long elapsed = Math.max(1, now - lastSampleNanos);
        // Never step back: a thread between leaving the live set and being retired is briefly
        // counted by neither, and lowering the mark would charge its whole life again next tick.
        lastThreadCpuNanos = Math.max(lastThreadCpuNanos, cpu);
        lastSampleNanos = now;
        budget.settle(elapsed, used);
        double share = (double) used / elapsed;
        recentCpuShare = recentCpuShare * 0.9 + share * 0.1;
        sampledAt = Instant.now();

        long debt = budget.debtNanos();
        if (debt == 0) {
            inDebtSinceNanos = -1;
        } else if (inDebtSinceNanos < 0) {
            inDebtSinceNanos = now;
        }
        if (dataBytes > limits.dataQuotaBytes()) {
            setState(SliceState.VIOLATING, "data area holds " + dataBytes + " bytes, over its quota of "
                    + limits.dataQuotaBytes());
        } else if (inDebtSinceNanos >= 0 && now - inDebtSinceNanos >= violationAfter.toNanos()) {
            setState(SliceState.VIOLATING, String.format("over its CPU share of %.2f cores for %d s without a pause",
                    limits.cpuShare(), (now - inDebtSinceNanos) / 1_000_000_000L));
        } else if (debt > 0) {
            setState(SliceState.THROTTLED, String.format("over its CPU share of %.2f cores; tasks wait",
                    limits.cpuShare()));
        } else {
            setState(SliceState.RUNNING, "");
        }
    }

    /** Measures the bytes in the data area; a walk, so the sampler calls it rarely. */
    void measureData() {
        if (!Files.isDirectory(dataArea)) {
            dataBytes = 0;
            return;
        }
        try (var files = Files.walk(dataArea)) {
            dataBytes = files.filter(Files::isRegularFile).mapToLong(ManagedSlice::sizeOf).sum();
        } catch (IOException | UncheckedIOException e) {
            // A file vanished during the walk: keep the previous figure until the next measurement.
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Stops the executor: queued tasks are dropped, running ones interrupted. */
    void close() {
        setState(SliceState.STOPPED, "bundle stopped");
        budget.close();
        pool.shutdownNow();
    }

    /** Waits for the slice's threads to end; true when none is left. */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void setState(SliceState next, String why) {
        if (state != SliceState.STOPPED) {
            state = next;
            reason = why;
        }
    }

    private long threadCpuNanos() {
        long sum = retiredCpuNanos.sum();
        for (Thread t : threads) {
            long cpu = THREADS.getThreadCpuTime(t.getId());
            if (cpu > 0) {
                sum += cpu;
            }
        }
        return sum;
    }

    private long allocatedBytes() {
        long sum = retiredAllocatedBytes.sum();
        for (Thread t : threads) {
            long bytes = THREADS.getThreadAllocatedBytes(t.getId());
            if (bytes > 0) {
                sum += bytes;
            }
        }
        return sum;
    }

    /** A bounded pool whose workers wait for CPU credit before each task. */
    private final class SliceExecutor extends ThreadPoolExecutor {

        SliceExecutor() {
            super(limits.maxThreads(), limits.maxThreads(), 30, TimeUnit.SECONDS,
                    limits.maxQueuedTasks() == 0 ? new SynchronousQueue<>()
                            : new LinkedBlockingQueue<>(limits.maxQueuedTasks()), new SliceThreads(),
                    (task, executor) -> {
                        rejected.increment();
                        throw new RejectedExecutionException(executor.isShutdown()
                                ? "slice " + name + " is stopped"
                                : "slice " + name + " has " + limits.maxQueuedTasks() + " tasks queued already");
                    });
            allowCoreThreadTimeOut(true);
        }

        @Override
        protected void beforeExecute(Thread worker, Runnable task) {
            try {
                throttledNanos.add(budget.awaitCredit());
            } catch (InterruptedException e) {
                worker.interrupt();
            }
        }
    }

    /** Names the slice's threads and keeps the set of live ones, adding each one's CPU when it ends. */
    private final class SliceThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable work) {
            Thread thread = new Thread(() -> {
                Thread self = Thread.currentThread();
                threads.add(self);
                try {
                    work.run();
                } finally {
                    // Leave the live set first: a sample in between undercounts for one tick only.
                    threads.remove(self);
                    retiredCpuNanos.add(Math.max(0, THREADS.getCurrentThreadCpuTime()));
                    retiredAllocatedBytes.add(Math.max(0, THREADS.getThreadAllocatedBytes(self.getId())));
                }
            }, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
