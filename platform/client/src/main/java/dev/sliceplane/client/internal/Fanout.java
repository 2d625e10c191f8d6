package dev.sliceplane.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one task per node on at most {@code parallelism} threads and waits for all of them. The
 * threads live for one call only, so a client holds none between calls and needs no closing. Each
 * task bounds its own time (every request has a timeout); tasks report failures as values.
 */
public final class Fanout {

    private final int parallelism;

    public Fanout(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /** {@code task} applied to each item, results in the items' order. */
    public <T, R> List<R> map(List<T> items, Function<T, R> task) {
        if (items.isEmpty()) {
            return List.of();
        }
        if (items.size() == 1) {
            return List.of(task.apply(items.get(0)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, items.size()), threads());
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> task.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the nodes", e);
        } catch (ExecutionException e) {
            // Tasks return failures as values: an exception here is a bug, rethrown as it was.
            if (e.getCause() instanceof RuntimeException bug) {
                throw bug;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "sliceplane-client-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
