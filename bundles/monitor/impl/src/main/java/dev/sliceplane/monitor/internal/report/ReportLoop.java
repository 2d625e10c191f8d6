package dev.sliceplane.monitor.internal.report;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.monitor.internal.report.CapacityReporter.Outcome;

/**
 * Runs report rounds one after another: the next is scheduled when the last has finished, after
 * the interval (the agent's, when it names a shorter one: its reports go stale after three of
 * its intervals), or after an exponential backoff up to
 * {@code maxBackoff} while rounds fail, so an unreachable authority costs one attempt per backoff
 * step and never piles up rounds. Failures are logged when they start, change and end, not on
 * every round; a single failed round (the first at boot can run before the local agent
 * registers) only at debug. Thread-safe.
 */
final class ReportLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ReportLoop.class);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_INTERVAL = Duration.ofHours(1);

    private final Supplier<java.util.concurrent.CompletableFuture<Outcome>> round;
    private final BiFunction<Runnable, Duration, ScheduledFuture<?>> scheduler;
    private final Duration interval;
    private final Duration maxBackoff;
    /** Guarded by this. */
    private int failures;
    private String lastProblem;
    private ScheduledFuture<?> next;
    private boolean stopped;
    private volatile Outcome lastOutcome;

    ReportLoop(Supplier<java.util.concurrent.CompletableFuture<Outcome>> round,
            BiFunction<Runnable, Duration, ScheduledFuture<?>> scheduler, Duration interval, Duration maxBackoff) {
        this.round = round;
        this.scheduler = scheduler;
        this.interval = interval;
        this.maxBackoff = maxBackoff;
    }

    /** Starts the rounds, the first after {@code initialDelay}. */
    synchronized void start(Duration initialDelay) {
        scheduleNext(initialDelay);
    }

    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    Outcome lastOutcome() {
        return lastOutcome;
    }

    private void runRound() {
        round.get().whenComplete((outcome, failure) -> finished(failure == null ? outcome
                : Outcome.failed(String.valueOf(failure))));
    }

    private synchronized void finished(Outcome outcome) {
        lastOutcome = outcome;
        Duration delay;
        if (outcome.delivered()) {
            if (lastProblem != null) {
                LOG.info("capacity reports reach the agent again after {} failed rounds", failures);
            }
            failures = 0;
            lastProblem = null;
            // Never less often than configured: the agent's interval only makes reports more frequent.
            delay = outcome.interval().map(ReportLoop::bounded).filter(asked -> asked.compareTo(interval) < 0)
                    .orElse(interval);
        } else {
            failures++;
            if (failures == 1) {
                // At boot the first round can run before the local agent registers: not yet a problem.
                LOG.debug("capacity report not delivered (round 1): {}", outcome.problem());
            } else if (!outcome.problem().equals(lastProblem)) {
                LOG.warn("capacity report not delivered (round {}): {}", failures, outcome.problem());
                lastProblem = outcome.problem();
            }
            delay = backoff(failures);
        }
        scheduleNext(delay);
    }

    /** The delay after {@code failures} failed rounds in a row: the interval doubled each time, capped. */
    Duration backoff(int failures) {
        Duration delay = interval;
        for (int i = 1; i < failures && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    private void scheduleNext(Duration delay) {
        if (stopped) {
            return;
        }
        try {
            next = scheduler.apply(this::runRound, delay);
        } catch (RejectedExecutionException e) {
            LOG.warn("the next capacity report could not be scheduled: {}", e.getMessage());
        }
    }

    private static Duration bounded(Duration asked) {
        return asked.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : asked.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : asked;
    }
}
