package dev.sliceplane.nodemanager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.platform.api.slice.SliceLimits;
import dev.sliceplane.platform.api.slice.SliceUsage;

/**
 * A configuration change applies in place: the new rules to the next request, a new reclaim
 * interval to the timer (the old one cancelled), and the timer really reclaims.
 */
class PolicyReloadTest {

    @TempDir
    Path temp;

    Fixture f;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final List<Duration> periods = new CopyOnWriteArrayList<>();
    final List<ScheduledFuture<?>> timers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(temp);
    }

    @AfterEach
    void close() {
        scheduler.shutdownNow();
        f.close();
    }

    @Test
    void aNewPolicyAppliesToTheNextRequestAndANewIntervalToTheTimer() throws Exception {
        NodeManager manager = new NodeManager(f.vmm, f.authorityKeys(), f.sliceDirectory(), f.nodeSigner(),
                f.directory, f.clock, Policy.DEFAULTS, slice());
        try {
            manager.modified(PolicyTest.config(Map.of("reclaimInterval", "PT0.2S", "deniedSites", "princeton")));
            assertEquals(List.of(Duration.ofMillis(200)), periods);
            assertEquals(Set.of("princeton"), manager.policy().deniedSites());
            RedemptionTest.assertDenied(403, "policy-denied", "policy.deniedSites",
                    () -> manager.redeem(f.ticket(), Fixture.member()));

            manager.modified(PolicyTest.config(Map.of("reclaimInterval", "PT0.1S")));
            assertEquals(List.of(Duration.ofMillis(200), Duration.ofMillis(100)), periods);
            assertTrue(timers.get(0).isCancelled(), "the old timer was cancelled");
            Lease lease = manager.redeem(f.ticket(), Fixture.member());

            // The timer reclaims the lease once the clock passes its end.
            f.clock.advance(Duration.ofHours(2));
            RedemptionTest.await("the timer to reclaim " + lease.id(), () -> manager.leaseCount() == 0);
            assertTrue(f.vmm.find(lease.sliver()).isEmpty());

            manager.modified(PolicyTest.config(Map.of("reclaimInterval", "PT0.1S")));
            assertEquals(2, periods.size(), "an unchanged interval keeps its timer");
        } finally {
            manager.deactivate();
        }
        assertTrue(timers.get(1).isCancelled(), "deactivation stops the timer");
    }

    /** A management slice whose timers run on a plain scheduler. */
    ManagementSlice slice() {
        return new ManagementSlice() {
            @Override
            public String name() {
                return "mgmt_nodemanager";
            }

            @Override
            public SliceLimits limits() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ExecutorService executor() {
                return scheduler;
            }

            @Override
            public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
                return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
                periods.add(period);
                ScheduledFuture<?> timer = scheduler.scheduleWithFixedDelay(task, initialDelay.toMillis(), period.toMillis(),
                        TimeUnit.MILLISECONDS);
                timers.add(timer);
                return timer;
            }

            @Override
            public Path dataArea() {
                return temp;
            }

            @Override
            public SliceUsage usage() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void recordRequest(long cpuNanos) {
            }
        };
    }
}
