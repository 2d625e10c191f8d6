package dev.sliceplane.platform.internal.slice;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket of CPU time for one slice. The sampler credits {@code share × elapsed} and
 * debits the CPU the slice's threads actually used; while the balance is negative the slice is
 * over its share and its next tasks wait in {@link #awaitCredit()}. The balance never exceeds one
 * burst, so an idle slice cannot save up CPU for a long spike.
 */
final class CpuBudget {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition credited = lock.newCondition();
    private final double share;
    private final long burstNanos;
    /** CPU nanoseconds the slice may still use; negative means it owes. Guarded by {@code lock}. */
    private long balanceNanos;
    private volatile boolean closed;

    CpuBudget(double share, long burstNanos) {
        this.share = share;
        this.burstNanos = burstNanos;
        this.balanceNanos = burstNanos;
    }

    /** Credits {@code elapsedNanos} of wall time at the slice's share and debits {@code usedCpuNanos}. */
    void settle(long elapsedNanos, long usedCpuNanos) {
        lock.lock();
        try {
            balanceNanos = Math.min(burstNanos, balanceNanos + (long) (elapsedNanos * share) - usedCpuNanos);
            if (balanceNanos >= 0) {
                credited.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks while the slice owes CPU.
     *
     * @return the nanoseconds waited
     */
    long awaitCredit() throws InterruptedException {
        lock.lock();
        try {
            if (balanceNanos >= 0 || closed) {
                return 0;
            }
            long start = System.nanoTime();
            while (balanceNanos < 0 && !closed) {
                credited.await(100, TimeUnit.MILLISECONDS);
            }
            return System.nanoTime() - start;
        } finally {
            lock.unlock();
        }
    }

    /** CPU nanoseconds owed; zero when in credit. */
    long debtNanos() {
        lock.lock();
        try {
            return Math.max(0, -balanceNanos);
        } finally {
            lock.unlock();
        }
    }

    /** Releases every waiter for good, so a stopping slice can drain. */
    void close() {
        closed = true;
        lock.lock();
        try {
            credited.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
