package dev.sliceplane.platform.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;
import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.platform.api.slice.SliceLimits;
import dev.sliceplane.platform.api.slice.SliceUsage;
import dev.sliceplane.platform.internal.health.HealthAggregator.CheckState;
import dev.sliceplane.platform.internal.health.HealthAggregator.Report;

class HealthAggregatorTest {

    private final FakeSlice slice = new FakeSlice();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        slice.shutdown();
    }

    @Test
    void notReadyWhileTheFrameworkStartsOrStopsBundles() throws Exception {
        AtomicInteger framework = new AtomicInteger(Bundle.STARTING);
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000), System::nanoTime, framework::get);
        health.addCheck(() -> HealthResult.up("fine"), ref(Map.of(HealthCheck.NAME, "quick")));
        await(() -> health.report().checks().stream().anyMatch(c -> c.status() == HealthStatus.UP));

        Report starting = health.report();
        assertEquals(HealthStatus.STARTING, starting.status(), "a bundle not started yet has no check to report");
        assertEquals(List.of(HealthAggregator.FRAMEWORK, "quick"), names(starting));

        framework.set(Bundle.ACTIVE);
        assertEquals(HealthStatus.UP, health.report().status());
        assertEquals(List.of("quick"), names(health.report()));

        framework.set(Bundle.STOPPING);
        assertEquals(HealthStatus.DOWN, health.report().status());
        assertEquals("the framework is stopping", health.report().checks().get(0).message());
    }

    @Test
    void startingUntilTheFirstRunCompletes() throws Exception {
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000));
        health.addCheck(() -> {
            release.await();
            return HealthResult.up("fine");
        }, ref(Map.of(HealthCheck.NAME, "slow-start")));

        Report report = health.report();
        assertEquals(HealthStatus.STARTING, report.status());
        assertEquals(HealthStatus.STARTING, health.status(), "the NodeHealth service says what the report says");
        assertEquals(List.of("slow-start"), names(report));
        assertEquals(HealthStatus.STARTING, report.checks().get(0).status());

        release.countDown();
        await(() -> health.report().status() == HealthStatus.UP);
        assertEquals("fine", health.report().checks().get(0).message());
    }

    @Test
    void theWorstCheckDecides() throws Exception {
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000));
        health.addCheck(() -> HealthResult.up("ok"), named("c-up"));
        health.addCheck(() -> HealthResult.warn("filling up"), named("b-warn"));
        awaitRun(health);
        assertEquals(HealthStatus.WARN, health.report().status());

        health.addCheck(() -> HealthResult.down("gone"), named("a-down"));
        awaitRun(health);

        Report report = health.report();
        assertEquals(HealthStatus.DOWN, report.status());
        assertEquals(HealthStatus.DOWN, health.status());
        assertEquals(List.of("a-down", "b-warn", "c-up"), names(report), "sorted by name");
        assertEquals(List.of(HealthStatus.DOWN, HealthStatus.WARN, HealthStatus.UP),
                report.checks().stream().map(CheckState::status).toList());
        assertNotNull(report.checks().get(0).checkedAt());
    }

    @Test
    void aCheckThatThrowsIsDownWithItsMessage() throws Exception {
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000));
        health.addCheck(() -> {
            throw new IllegalStateException("disk gone");
        }, named("disk"));

        awaitRun(health);

        CheckState state = health.report().checks().get(0);
        assertEquals(HealthStatus.DOWN, state.status());
        assertTrue(state.message().contains("disk gone"), state.message());
    }

    @Test
    void aCheckReturningNullIsDown() throws Exception {
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000));
        health.addCheck(() -> null, named("null"));

        awaitRun(health);

        assertEquals(HealthStatus.DOWN, health.report().status());
    }

    @Test
    void aCheckSlowerThanTheTimeoutIsDown() throws Exception {
        HealthAggregator health = new HealthAggregator(slice, config(5, 100));
        health.addCheck(() -> {
            release.await();
            return HealthResult.up("late");
        }, named("hanging"));

        awaitRun(health);

        CheckState state = health.report().checks().get(0);
        assertEquals(HealthStatus.DOWN, state.status());
        assertTrue(state.message().contains("no result within 100 ms"), state.message());
    }

    @Test
    void removingACheckDropsItAndStopsItsSchedule() throws Exception {
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000));
        ServiceReference<HealthCheck> down = named("down");
        // Added first, so its schedule is the first whenever "up" runs: "up" may reach its normal
        // tick before a check added after it is even scheduled.
        health.addCheck(() -> HealthResult.down("broken"), down);
        health.addCheck(() -> HealthResult.up("ok"), named("up"));
        awaitRun(health);
        await(() -> slice.schedules.size() == 3); // "up" went from its starting tick to the normal one

        health.removeCheck(down);

        assertEquals(List.of("up"), names(health.report()));
        assertEquals(HealthStatus.UP, health.report().status());
        assertTrue(slice.schedules.get(0).isCancelled(), "the one of the removed check");
        assertTrue(slice.schedules.get(1).isCancelled(), "the starting tick of the check that is UP");
        assertFalse(slice.schedules.get(2).isCancelled(), "the normal tick of the check that is UP");
    }

    @Test
    void aCheckTicksFastUntilItsFirstUpThenAtTheNormalTick() throws Exception {
        slice.manual = true;
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000), slice.clock::get);
        java.util.concurrent.atomic.AtomicReference<HealthStatus> next = new java.util.concurrent.atomic.AtomicReference<>(
                HealthStatus.DOWN);
        health.addCheck(() -> new HealthResult(next.get(), "waiting"), named("starting"));
        assertEquals(List.of(Duration.ofMillis(20)), slice.periods, "a starting check ticks every 20 ms");

        for (int i = 0; i < 5; i++) {
            slice.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(20));
            slice.ticks.get(0).run();
        }
        await(() -> health.report().status() == HealthStatus.DOWN);
        assertEquals(1, slice.periods.size(), "no UP yet, within its first 30 s: still the starting tick");

        next.set(HealthStatus.UP);
        await(() -> {
            slice.ticks.get(0).run();
            return slice.periods.size() == 2;
        });
        assertEquals(HealthStatus.UP, health.report().status(), "the first UP is reported at once");
        assertEquals(List.of(Duration.ofMillis(20), Duration.ofMillis(100)), slice.periods);
        assertTrue(slice.schedules.get(0).isCancelled());
        assertFalse(slice.schedules.get(1).isCancelled());
    }

    @Test
    void deactivateStopsEverySchedule() {
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000));
        health.addCheck(() -> HealthResult.up("ok"), named("a"));
        health.addCheck(() -> HealthResult.up("ok"), named("b"));

        health.deactivate();

        assertTrue(slice.schedules.stream().allMatch(ScheduledFuture::isCancelled));
    }

    @Test
    void nameFallsBackToTheComponentName() {
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000));
        health.addCheck(() -> HealthResult.up("ok"), ref(Map.of(ComponentConstants.COMPONENT_NAME, "dev.example.Disk")));

        assertEquals(List.of("dev.example.Disk"), names(health.report()));
    }

    @Test
    void intervalFromThePropertyOrTheConfig() {
        HealthAggregator health = new HealthAggregator(slice, config(9, 10_000));
        assertEquals(Duration.ofSeconds(30), health.intervalOf(ref(Map.of(HealthCheck.INTERVAL_SECONDS, 30))));
        assertEquals(Duration.ofSeconds(7), health.intervalOf(ref(Map.of(HealthCheck.INTERVAL_SECONDS, " 7 "))));
        assertEquals(Duration.ofSeconds(9), health.intervalOf(ref(Map.of(HealthCheck.INTERVAL_SECONDS, "often"))));
        assertEquals(Duration.ofSeconds(1), health.intervalOf(ref(Map.of(HealthCheck.INTERVAL_SECONDS, 0))));
        assertEquals(Duration.ofSeconds(9), health.intervalOf(ref(Map.of())));
    }

    @Test
    void aHungCheckIsNotStartedAgainWhileItStillRuns() throws Exception {
        slice.manual = true;
        AtomicInteger calls = new AtomicInteger();
        HealthAggregator health = new HealthAggregator(slice, config(5, 100));
        health.addCheck(() -> {
            calls.incrementAndGet();
            release.await();
            return HealthResult.up("late");
        }, named("hanging"));
        slice.ticks.get(0).run();
        awaitRun(health);

        slice.ticks.get(0).run(); // the next interval, while the first call still hangs
        Thread.sleep(200);

        assertEquals(1, calls.get());
    }

    @Test
    void aRejectedRunDoesNotStopTheCheckForGood() throws Exception {
        slice.manual = true;
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000));
        health.addCheck(() -> HealthResult.up("ok"), ref(Map.of(HealthCheck.NAME, "a", HealthCheck.CONSECUTIVE, 1)));
        slice.rejecting.set(true);
        try {
            slice.ticks.get(0).run();
        } catch (RejectedExecutionException expected) {
            // the slice's queue was full this time
        }
        slice.rejecting.set(false);

        slice.ticks.get(0).run();

        await(() -> health.report().status() == HealthStatus.UP);
    }

    @Test
    void aFlappingCheckKeepsItsFirstState() throws Exception {
        slice.manual = true;
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000, 3), slice.clock::get);
        Scripted check = new Scripted();
        health.addCheck(check, named("flappy"));
        HealthStatus[] flaps = {HealthStatus.UP, HealthStatus.DOWN, HealthStatus.UP, HealthStatus.DOWN,
                HealthStatus.UP, HealthStatus.DOWN, HealthStatus.UP, HealthStatus.DOWN};

        for (HealthStatus flap : flaps) {
            CheckState state = check.run(health, flap);
            assertEquals(HealthStatus.UP, state.status(), "never changes: " + state);
        }
        assertEquals(HealthStatus.UP, health.report().status());
        CheckState last = health.report().checks().get(0);
        assertEquals(new HealthAggregator.Pending(HealthStatus.DOWN, "run 8", 1), last.pending(),
                "the latest raw result is shown while a change is pending");
        assertEquals(3, last.consecutive());
    }

    @Test
    void aChangeHoldingForNResultsIsReported() throws Exception {
        slice.manual = true;
        HealthAggregator health = new HealthAggregator(slice, config(5, 10_000, 3), slice.clock::get);
        Scripted check = new Scripted();
        health.addCheck(check, named("real"));

        CheckState first = check.run(health, HealthStatus.WARN);
        assertEquals(HealthStatus.WARN, first.status(), "the first result is taken at once");
        assertEquals(null, first.pending());

        CheckState once = check.run(health, HealthStatus.DOWN);
        assertEquals(HealthStatus.WARN, once.status());
        assertEquals(new HealthAggregator.Pending(HealthStatus.DOWN, "run 2", 1), once.pending());
        CheckState twice = check.run(health, HealthStatus.DOWN);
        assertEquals(HealthStatus.WARN, twice.status());
        assertEquals(2, twice.pending().inARow());

        CheckState thrice = check.run(health, HealthStatus.DOWN);
        assertEquals(HealthStatus.DOWN, thrice.status());
        assertEquals("run 4", thrice.message());
        assertEquals(null, thrice.pending());
        assertEquals(HealthStatus.DOWN, health.report().status());

        // The per-check property overrides the platform's setting.
        Scripted jumpy = new Scripted();
        health.addCheck(jumpy, ref(Map.of(HealthCheck.NAME, "jumpy", HealthCheck.CONSECUTIVE, "1")));
        assertEquals(HealthStatus.UP, jumpy.run(health, HealthStatus.UP).status());
        assertEquals(HealthStatus.DOWN, jumpy.run(health, HealthStatus.DOWN).status());
    }

    @Test
    void timeoutsCountAsDownResults() throws Exception {
        slice.manual = true;
        HealthAggregator health = new HealthAggregator(slice, config(5, 100, 2), slice.clock::get);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        health.addCheck(() -> {
            try {
                if (calls.incrementAndGet() > 1) {
                    Thread.sleep(400); // past the 100 ms deadline, but it does end
                }
                return HealthResult.up("in time");
            } finally {
                finished.incrementAndGet();
            }
        }, named("slow"));

        slice.ticks.get(0).run();
        await(() -> health.report().status() == HealthStatus.UP);

        // Ticks until the second run starts: the first may still hold its place for a moment after its result.
        await(() -> {
            slice.nextInterval();
            slice.ticks.get(0).run();
            return calls.get() == 2;
        });
        await(() -> health.report().checks().get(0).pending() != null);
        CheckState once = health.report().checks().get(0);
        assertEquals(HealthStatus.UP, once.status(), "one timeout does not change the state");
        assertEquals(HealthStatus.DOWN, once.pending().status());
        assertTrue(once.pending().message().contains("no result within 100 ms"), once.pending().message());

        // The next run starts once the late one has really ended (a hung run keeps its place).
        await(() -> finished.get() == 2);
        await(() -> {
            slice.nextInterval();
            slice.ticks.get(0).run();
            return calls.get() == 3;
        });
        await(() -> health.report().status() == HealthStatus.DOWN);
        assertTrue(health.report().checks().get(0).message().contains("no result within 100 ms"));
    }

    /**
     * A check whose every run returns the status the test hands it, with the message "run i";
     * {@link #run} ticks the schedule once and waits until that run's result is recorded.
     */
    private final class Scripted implements HealthCheck {
        private final java.util.concurrent.BlockingQueue<HealthStatus> next = new java.util.concurrent.LinkedBlockingQueue<>();
        private final AtomicInteger runs = new AtomicInteger();
        private int tickIndex = -1;

        @Override
        public HealthResult check() throws Exception {
            HealthStatus status = next.take();
            return new HealthResult(status, "run " + runs.incrementAndGet());
        }

        CheckState run(HealthAggregator health, HealthStatus status) throws InterruptedException {
            if (tickIndex < 0) {
                tickIndex = slice.ticks.size() - 1;
            }
            String expected = "run " + (runs.get() + 1);
            next.add(status);
            slice.nextInterval();
            slice.ticks.get(tickIndex).run();
            await(() -> recorded(health, expected) != null);
            return recorded(health, expected);
        }

        private CheckState recorded(HealthAggregator health, String message) {
            for (CheckState state : health.report().checks()) {
                if (state.message().equals(message)
                        || state.pending() != null && state.pending().message().equals(message)) {
                    return state;
                }
            }
            return null;
        }
    }

    private static void awaitRun(HealthAggregator health) throws InterruptedException {
        await(() -> health.report().checks().stream().noneMatch(c -> c.status() == HealthStatus.STARTING));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within 10 s");
            Thread.sleep(5);
        }
    }

    private static List<String> names(Report report) {
        return report.checks().stream().map(CheckState::name).toList();
    }

    private static HealthAggregator.Config config(long intervalSeconds, long timeoutMillis) {
        return config(intervalSeconds, timeoutMillis, 3);
    }

    private static HealthAggregator.Config config(long intervalSeconds, long timeoutMillis, int consecutive) {
        return new HealthAggregator.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HealthAggregator.Config.class;
            }

            @Override
            public long intervalSeconds() {
                return intervalSeconds;
            }

            @Override
            public long timeoutMillis() {
                return timeoutMillis;
            }

            @Override
            public int consecutive() {
                return consecutive;
            }
        };
    }

    private static ServiceReference<HealthCheck> named(String name) {
        return ref(Map.of(HealthCheck.NAME, name));
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<HealthCheck> ref(Map<String, Object> properties) {
        return (ServiceReference<HealthCheck>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "ref " + properties;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The platform slice, backed by plain executors; records what is scheduled. */
    private static final class FakeSlice implements ManagementSlice {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final ExecutorService pool = Executors.newCachedThreadPool();
        final AtomicBoolean rejecting = new AtomicBoolean();
        final List<ScheduledFuture<?>> schedules = new CopyOnWriteArrayList<>();
        final List<Runnable> ticks = new CopyOnWriteArrayList<>();
        final List<Duration> periods = new CopyOnWriteArrayList<>();
        /** When set, scheduled tasks run only when the test runs a tick. */
        volatile boolean manual;
        /** The aggregator's clock in the tests that step it: nanoseconds. */
        final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();

        /** Moves the clock past any check's interval, so the next tick runs every check. */
        void nextInterval() {
            clock.addAndGet(TimeUnit.HOURS.toNanos(1));
        }

        private final ExecutorService executor = new AbstractExecutorService() {
            @Override
            public void execute(Runnable command) {
                if (rejecting.get()) {
                    throw new RejectedExecutionException("queue full");
                }
                pool.execute(command);
            }

            @Override
            public void shutdown() {
                throw new UnsupportedOperationException("callers must not shut the slice executor down");
            }

            @Override
            public List<Runnable> shutdownNow() {
                throw new UnsupportedOperationException("callers must not shut the slice executor down");
            }

            @Override
            public boolean isShutdown() {
                return pool.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return pool.isTerminated();
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
                return pool.awaitTermination(timeout, unit);
            }
        };

        void shutdown() {
            timer.shutdownNow();
            pool.shutdownNow();
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
            ticks.add(task);
            periods.add(period);
            ScheduledFuture<?> future = manual
                    ? timer.schedule(() -> { }, 1, TimeUnit.DAYS)
                    : timer.scheduleAtFixedRate(task, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
            schedules.add(future);
            return future;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
            return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public ExecutorService executor() {
            return executor;
        }

        @Override
        public String name() {
            return "mgmt_platform";
        }

        @Override
        public SliceLimits limits() {
            return new SliceLimits(1, 4, 100, 0);
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
    }
}
