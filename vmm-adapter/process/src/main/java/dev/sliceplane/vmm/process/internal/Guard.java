package dev.sliceplane.vmm.process.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread per backend that enforces what the kernel does not (see
 * {@link GuardedSliver}): every period it scans /proc once, if any sliver has something to
 * enforce, and lets each such sliver act on the snapshot. Slivers without guarded limits or
 * without processes cost nothing. While a sliver fights its process limit the checks come
 * ten times as often (at least every 10 ms apart), because a fork loop refills a sliver fast.
 */
final class Guard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

    private final Path proc;
    private final Duration period;
    private final long soonMillis;
    private final Map<String, GuardedSliver> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;

    Guard(Path proc, Duration period) {
        this.proc = proc;
        this.period = period;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sliceplane-vmm-process-guard");
            t.setDaemon(true);
            return t;
        });
        this.soonMillis = Math.max(10, period.toMillis() / 10);
        thread.schedule(this::checkAndReschedule, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    Duration period() {
        return period;
    }

    void watch(GuardedSliver sliver) {
        watched.put(sliver.name(), sliver);
    }

    /** Stops watching a sliver and continues whatever the throttle stopped in it. */
    void forget(String name) {
        GuardedSliver sliver = watched.remove(name);
        if (sliver != null) {
            sliver.retire();
        }
    }

    /** Ends the thread, then continues every stopped process: no sliver is left frozen. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the guard thread did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watched.values().forEach(GuardedSliver::retire);
        watched.clear();
    }

    private void checkAndReschedule() {
        boolean soon = false;
        try {
            soon = checkAll();
        } catch (RuntimeException e) {
            LOG.warn("guard check failed; trying again next period", e);
        } finally {
            try {
                thread.schedule(this::checkAndReschedule, soon ? soonMillis : period.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    /** One pass; true if a sliver wants to be checked again soon. */
    private boolean checkAll() {
        List<GuardedSliver> due = new ArrayList<>();
        for (GuardedSliver s : watched.values()) {
            if (s.needsChecking()) {
                due.add(s);
            }
        }
        if (due.isEmpty()) {
            return false;
        }
        ProcessTable table = ProcessTable.scan(proc);
        long now = System.nanoTime();
        boolean soon = false;
        for (GuardedSliver s : due) {
            soon |= s.check(table, now);
        }
        return soon;
    }
}
