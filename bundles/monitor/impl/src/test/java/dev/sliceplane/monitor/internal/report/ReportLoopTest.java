package dev.sliceplane.monitor.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.sliceplane.monitor.internal.report.CapacityReporter.Outcome;

class ReportLoopTest {

    /** Runs scheduled rounds when the test says, and records each delay. */
    private static final class ManualScheduler {
        final List<Duration> delays = new ArrayList<>();
        final Deque<Runnable> due = new ArrayDeque<>();

        ScheduledFuture<?> schedule(Runnable task, Duration delay) {
            delays.add(delay);
            due.add(task);
            return new Cancelled();
        }

        void runNext() {
            due.removeFirst().run();
        }
    }

    @Test
    void backsOffWhileTheAgentIsUnreachableAndReportsAsOftenAsTheAgentAsks() {
        Deque<Outcome> outcomes = new ArrayDeque<>(List.of(Outcome.failed("down"), Outcome.failed("down"),
                Outcome.failed("down"), Outcome.failed("down"), Outcome.failed("down"),
                new Outcome(true, Optional.of(Duration.ofSeconds(5)), null),
                new Outcome(true, Optional.of(Duration.ofSeconds(20)), null),
                new Outcome(true, Optional.empty(), null)));
        ManualScheduler scheduler = new ManualScheduler();
        ReportLoop loop = new ReportLoop(() -> CompletableFuture.completedFuture(outcomes.removeFirst()),
                scheduler::schedule, Duration.ofSeconds(10), Duration.ofSeconds(60));
        loop.start(Duration.ZERO);
        for (int i = 0; i < 8; i++) {
            scheduler.runNext();
        }
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(10)),
                scheduler.delays);
        assertTrue(loop.lastOutcome().delivered());
    }

    @Test
    void aRoundThatThrowsIsAFailureAndStopEndsTheLoop() {
        ManualScheduler scheduler = new ManualScheduler();
        ReportLoop loop = new ReportLoop(() -> CompletableFuture.failedFuture(new IllegalStateException("boom")),
                scheduler::schedule, Duration.ofSeconds(10), Duration.ofSeconds(60));
        loop.start(Duration.ZERO);
        scheduler.runNext();
        assertTrue(loop.lastOutcome().problem().contains("boom"));
        loop.stop();
        scheduler.runNext();
        assertEquals(2, scheduler.delays.size(), "nothing scheduled after stop");
    }

    private static final class Cancelled implements ScheduledFuture<Object> {
        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed o) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return true;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return false;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
