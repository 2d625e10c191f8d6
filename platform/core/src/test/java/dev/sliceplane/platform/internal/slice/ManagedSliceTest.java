package dev.sliceplane.platform.internal.slice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

import dev.sliceplane.platform.api.slice.SliceLimits;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.api.slice.SliceState;

class ManagedSliceTest {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final Duration NEVER = Duration.ofMinutes(10);

    @TempDir
    Path dataRoot;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<ManagedSlice> slices = new ArrayList<>();
    private final AtomicBoolean spin = new AtomicBoolean(true);

    @AfterEach
    void tearDown() throws InterruptedException {
        spin.set(false);
        for (ManagedSlice slice : slices) {
            slice.close();
            slice.awaitClosed(Duration.ofSeconds(5));
        }
        timer.shutdownNow();
    }

    @Test
    void tasksRunOnThreadsNamedAfterTheSlice() throws Exception {
        ManagedSlice slice = slice(new SliceLimits(1, 2, 10, 1 << 20), Duration.ofSeconds(1));

        String thread = slice.executor().submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);

        assertTrue(thread.startsWith("mgmt_test-"), thread);
    }

    @Test
    void snapshotNamesTheBundle() {
        SliceSnapshot snapshot = slice(new SliceLimits(1, 1, 10, 1 << 20), Duration.ofSeconds(1)).snapshot();

        assertEquals(42L, snapshot.bundleId());
        assertEquals("dev.example.monitor", snapshot.bundle());
        assertEquals(SliceState.RUNNING, snapshot.state());
        assertEquals("", snapshot.reason());
    }

    @Test
    void tasksBeyondTheQueueCapAreRejectedAndCounted() throws Exception {
        ManagedSlice slice = slice(new SliceLimits(1, 1, 2, 1 << 20), Duration.ofSeconds(1));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        slice.executor().execute(() -> {
            running.countDown();
            awaitQuietly(release);
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        slice.executor().execute(() -> { });
        slice.executor().execute(() -> { });

        var e = assertThrows(RejectedExecutionException.class, () -> slice.executor().execute(() -> { }));

        assertTrue(e.getMessage().contains("mgmt_test"), e.getMessage());
        assertEquals(1, slice.usage().rejectedTasks());
        assertEquals(2, slice.usage().queuedTasks());
        release.countDown();
        awaitTrue(() -> slice.usage().completedTasks() == 3, "the queued tasks run once the first ends");
    }

    @Test
    void aZeroQueueRejectsWhileEveryThreadIsBusy() throws Exception {
        ManagedSlice slice = slice(new SliceLimits(1, 1, 0, 1 << 20), Duration.ofSeconds(1));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        slice.executor().execute(() -> {
            running.countDown();
            awaitQuietly(release);
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));

        assertThrows(RejectedExecutionException.class, () -> slice.executor().execute(() -> { }));
        release.countDown();
    }

    @Test
    void usageAccountsCpuOfTasksAndCompletedTasks() throws Exception {
        ManagedSlice slice = slice(new SliceLimits(1, 1, 10, 1 << 20), Duration.ofSeconds(1));

        long burnt = slice.executor().submit(() -> burnCpu(200)).get(10, TimeUnit.SECONDS);

        assertTrue(slice.usage().cpuNanos() >= burnt * 8 / 10,
                () -> "cpuNanos " + slice.usage().cpuNanos() + " should cover most of " + burnt);
        awaitTrue(() -> slice.usage().completedTasks() == 1, "the task counts as completed");
        assertEquals(1, slice.usage().liveThreads());
    }

    @Test
    void recordRequestCountsRequestsAndTheirCpu() {
        ManagedSlice slice = slice(new SliceLimits(1, 1, 10, 1 << 20), Duration.ofSeconds(1));

        slice.recordRequest(1_000);
        slice.recordRequest(-5); // a clock hiccup must not subtract

        assertEquals(2, slice.usage().httpRequests());
        assertEquals(1_000, slice.usage().httpCpuNanos());
        assertEquals(1_000, slice.usage().cpuNanos(), "no task ran, so all CPU is the requests'");
    }

    @Test
    void aSmallShareHoldsBusySubmittersNearIt() throws Exception {
        double share = 0.1;
        ManagedSlice slice = slice(new SliceLimits(share, 2, 1000, 1 << 20), Duration.ofMillis(50));
        AtomicBoolean submitting = new AtomicBoolean(true);
        List<Thread> submitters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                while (submitting.get()) {
                    try {
                        slice.executor().submit(() -> spinFor(2)).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "submitter-" + i);
            t.setDaemon(true);
            t.start();
            submitters.add(t);
        }

        long window = TimeUnit.MILLISECONDS.toNanos(1500);
        boolean throttled = false;
        long start = System.nanoTime();
        while (System.nanoTime() - start < window) {
            Thread.sleep(10);
            slice.sample(NEVER);
            throttled |= slice.state() == SliceState.THROTTLED;
        }
        long cpu = slice.usage().cpuNanos();
        long elapsed = System.nanoTime() - start;

        submitting.set(false);
        for (Thread t : submitters) {
            // Keep settling the budget so the submitters' last tasks get to run.
            while (t.isAlive() && System.nanoTime() - start < window + TimeUnit.SECONDS.toNanos(10)) {
                slice.sample(NEVER);
                t.join(10);
            }
        }

        // Unthrottled, two submitters would use close to 2 cores; the share allows 0.1 plus one burst.
        assertTrue(cpu < 3 * share * elapsed, () -> "used " + cpu / 1_000_000 + " ms CPU in " + elapsed / 1_000_000 + " ms");
        assertTrue(cpu > 40_000_000, () -> "the tasks should at least use the burst, used " + cpu);
        assertTrue(throttled, "the slice should have been THROTTLED");
        assertTrue(slice.usage().throttledNanos() > 0);
    }

    @Test
    void violatingAfterStayingInDebtForViolationAfter() throws Exception {
        Duration violationAfter = Duration.ofMillis(200);
        ManagedSlice slice = slice(new SliceLimits(0.1, 1, 10, 1 << 20), Duration.ofMillis(10));
        slice.executor().execute(() -> {
            while (spin.get()) {
                Thread.onSpinWait();
            }
        });

        long firstInDebt = -1;
        long start = System.nanoTime();
        while (slice.state() != SliceState.VIOLATING && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(10);
            long before = System.nanoTime();
            slice.sample(violationAfter);
            if (firstInDebt < 0 && slice.state() != SliceState.RUNNING) {
                assertEquals(SliceState.THROTTLED, slice.state(), "first over its share, then violating");
                firstInDebt = before;
            }
        }
        long violatingAt = System.nanoTime();

        assertEquals(SliceState.VIOLATING, slice.state());
        assertTrue(violatingAt - firstInDebt >= violationAfter.toNanos(), "not before violationAfter has passed");
        assertTrue(slice.snapshot().reason().contains("CPU share"), slice.snapshot().reason());
    }

    @Test
    void dataOverQuotaIsAViolation() throws Exception {
        ManagedSlice slice = slice(new SliceLimits(1, 1, 10, 16), Duration.ofSeconds(1));
        Path area = slice.dataArea();
        assertTrue(Files.isDirectory(area), "created on first use");
        Files.write(area.resolve("small"), new byte[10]);
        slice.measureData();
        slice.sample(NEVER);
        assertEquals(SliceState.RUNNING, slice.state());

        Files.createDirectories(area.resolve("sub"));
        Files.write(area.resolve("sub/large"), new byte[100]);
        slice.measureData();
        slice.sample(NEVER);

        assertEquals(110, slice.usage().dataBytes());
        assertEquals(SliceState.VIOLATING, slice.state());
        assertTrue(slice.snapshot().reason().contains("quota"), slice.snapshot().reason());
    }

    @Test
    void measureDataOfAnAreaNeverCreatedIsZero() {
        ManagedSlice slice = slice(new SliceLimits(1, 1, 10, 16), Duration.ofSeconds(1));

        slice.measureData();

        assertEquals(0, slice.usage().dataBytes());
        assertFalse(Files.exists(dataRoot.resolve("mgmt_test")), "measuring does not create the area");
    }

    @Test
    void closeStopsTheExecutorAndInterruptsRunningTasks() throws Exception {
        ManagedSlice slice = slice(new SliceLimits(1, 1, 10, 1 << 20), Duration.ofSeconds(1));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        slice.executor().execute(() -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));

        slice.close();

        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
        assertTrue(slice.awaitClosed(Duration.ofSeconds(5)));
        assertEquals(SliceState.STOPPED, slice.state());
        assertThrows(RejectedExecutionException.class, () -> slice.executor().execute(() -> { }));
        assertEquals(1, slice.usage().rejectedTasks());
        slice.sample(NEVER);
        assertEquals(SliceState.STOPPED, slice.state(), "sampling does not revive a stopped slice");
    }

    @Test
    void fixedRateRunsDoNotOverlap() throws Exception {
        ManagedSlice slice = slice(new SliceLimits(1, 2, 10, 1 << 20), Duration.ofSeconds(1));
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();

        Future<?> schedule = slice.scheduleAtFixedRate(() -> {
            most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            sleepQuietly(50);
            concurrent.decrementAndGet();
            runs.incrementAndGet();
        }, Duration.ZERO, Duration.ofMillis(5));
        awaitTrue(() -> runs.get() >= 4, "the task keeps running");
        schedule.cancel(false);

        assertEquals(1, most.get());
    }

    private ManagedSlice slice(SliceLimits limits, Duration burst) {
        ManagedSlice slice = new ManagedSlice("mgmt_test", bundle(), limits, dataRoot.resolve("mgmt_test"), timer, burst);
        slices.add(slice);
        return slice;
    }

    private static Bundle bundle() {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> 42L;
                    case "getSymbolicName" -> "dev.example.monitor";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "bundle 42";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Burns about {@code millis} of this thread's CPU; returns the CPU nanoseconds burnt. */
    private static long burnCpu(long millis) {
        long start = CPU.getCurrentThreadCpuTime();
        long target = start + TimeUnit.MILLISECONDS.toNanos(millis);
        long now;
        do {
            now = CPU.getCurrentThreadCpuTime();
        } while (now < target);
        return now - start;
    }

    private static Void spinFor(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return null;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(5);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
