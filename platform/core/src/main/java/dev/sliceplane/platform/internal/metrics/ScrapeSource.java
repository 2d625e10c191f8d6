package dev.sliceplane.platform.internal.metrics;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * One contributor to {@code /metrics} (the JVM, the platform, or a bundle's {@link MultiCollector}
 * service), collected off the scrape's thread so that a slow or hung source cannot stall the
 * scrape. A source past its deadline contributes its last good families, and the age of those
 * is exported. At most one collection of a source is in flight: a scrape that finds one running
 * waits for that one rather than starting another, so a hung source holds one thread, not one
 * more per scrape.
 */
final class ScrapeSource {

    /** What a scrape took from a source: its families and when they were collected. */
    record Contribution(MetricSnapshots families, long collectedAtNanos) {
    }

    private final String name;
    private final MultiCollector collector;
    private final long addedAtNanos = System.nanoTime();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /** The collection in flight, or null; guarded by {@code this}. */
    private CompletableFuture<Contribution> inFlight;
    private volatile Contribution lastGood;
    private volatile long lastDurationNanos;

    ScrapeSource(String name, MultiCollector collector) {
        this.name = name;
        this.collector = collector;
    }

    String name() {
        return name;
    }

    MultiCollector collector() {
        return collector;
    }

    /** The collection in flight, started on {@code executor} if none is. */
    synchronized CompletableFuture<Contribution> collection(Executor executor) {
        if (inFlight == null) {
            CompletableFuture<Contribution> started = new CompletableFuture<>();
            inFlight = started;
            try {
                executor.execute(() -> collect(started));
            } catch (RejectedExecutionException e) {
                inFlight = null;
                errors.increment();
                started.completeExceptionally(e);
            }
            return started;
        }
        return inFlight;
    }

    private void collect(CompletableFuture<Contribution> result) {
        long start = System.nanoTime();
        Contribution outcome = null;
        Throwable failure = null;
        try {
            MetricSnapshots families = collector.collect();
            outcome = new Contribution(families != null ? families : new MetricSnapshots(), System.nanoTime());
            lastGood = outcome;
        } catch (RuntimeException | Error e) {
            errors.increment();
            failure = e;
        } finally {
            lastDurationNanos = System.nanoTime() - start;
            // Leave the slot before completing, so a scrape woken by this one may start the next.
            synchronized (this) {
                inFlight = null;
            }
        }
        if (failure == null) {
            result.complete(outcome);
        } else {
            result.completeExceptionally(failure);
        }
    }

    /**
     * Waits for {@code collection} until {@code deadlineNanos} (a {@link System#nanoTime()} value);
     * on time out or failure answers the last good contribution, or an empty one when there is none.
     */
    Contribution await(CompletableFuture<Contribution> collection, long deadlineNanos) {
        try {
            return collection.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            timeouts.increment();
        } catch (ExecutionException e) {
            // counted where it failed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Contribution last = lastGood;
        return last != null ? last : new Contribution(new MetricSnapshots(), addedAtNanos);
    }

    /** Collections that overran their deadline. */
    long timeouts() {
        return timeouts.sum();
    }

    /** Collections that threw (or could not be started). */
    long errors() {
        return errors.sum();
    }

    /** How long the last finished collection took, in nanoseconds (0 before the first). */
    long lastDurationNanos() {
        return lastDurationNanos;
    }
}
