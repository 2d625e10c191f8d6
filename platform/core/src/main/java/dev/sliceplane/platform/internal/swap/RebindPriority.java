package dev.sliceplane.platform.internal.swap;

import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the threads that deliver a swap's ranking-up real-time until the swap's rebind is over.
 *
 * <p>Consumers rebind inside that delivery, on Configuration Admin's event thread, in about a tenth
 * of a millisecond of work. On a node whose CPUs are busy the thread was often preempted halfway and
 * waited a millisecond or more for a CPU (its run-queue wait, read from {@code /proc/thread-self/schedstat},
 * made up the whole of the slow rebinds). A real-time thread is not preempted by normal ones, and
 * the swap holds it there for milliseconds, so it takes nothing lasting from the node's other work.
 */
final class RebindPriority implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RebindPriority.class);
    private static final RebindPriority NORMAL = new RebindPriority(null);

    /** Null when threads keep their normal priority. */
    private final LinuxScheduling scheduling;
    private final Set<Integer> raised = new HashSet<>();
    private boolean closed;

    private RebindPriority(LinuxScheduling scheduling) {
        this.scheduling = scheduling;
    }

    /** Raises the delivering threads through {@code scheduling}. */
    static RebindPriority realtime(LinuxScheduling scheduling) {
        return new RebindPriority(scheduling);
    }

    /** Leaves every thread as it is. */
    static RebindPriority normal() {
        return NORMAL;
    }

    /**
     * Makes the calling thread real-time until {@link #close()}. Called as the ranking-up is
     * delivered, before any consumer hears it, in case {@link #raise} missed that thread.
     */
    void raiseCurrentThread() {
        if (scheduling != null) {
            raise(scheduling.currentThreadId());
        }
    }

    /** Makes the thread real-time until {@link #close()}; once per thread. */
    synchronized void raise(int tid) {
        if (scheduling == null || closed || !raised.add(tid)) {
            return;
        }
        try {
            scheduling.makeRealtime(tid);
        } catch (UnsupportedOperationException e) {
            raised.remove(tid);
            LOG.debug("thread {} rebinds at normal priority: {}", tid, e.getMessage());
        }
    }

    /** Returns every raised thread to normal priority; later raises do nothing. */
    @Override
    public synchronized void close() {
        closed = true;
        for (int tid : raised) {
            try {
                scheduling.makeNormal(tid);
            } catch (UnsupportedOperationException e) {
                LOG.debug("thread {} not made normal again (it may have ended): {}", tid, e.getMessage());
            }
        }
        raised.clear();
    }
}
