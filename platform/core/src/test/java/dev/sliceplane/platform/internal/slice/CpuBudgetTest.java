package dev.sliceplane.platform.internal.slice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class CpuBudgetTest {

    private static final long MS = 1_000_000L;

    @Test
    void startsWithOneBurstOfCredit() throws Exception {
        CpuBudget budget = new CpuBudget(0.5, 100 * MS);

        assertEquals(0, budget.debtNanos());
        assertEquals(0, budget.awaitCredit());
        budget.settle(0, 130 * MS);
        assertEquals(30 * MS, budget.debtNanos());
    }

    @Test
    void creditAccruesAtShareTimesElapsed() {
        CpuBudget budget = new CpuBudget(0.5, 100 * MS);
        budget.settle(0, 300 * MS); // owes 200 ms

        budget.settle(200 * MS, 0);
        assertEquals(100 * MS, budget.debtNanos());
        budget.settle(100 * MS, 20 * MS);
        assertEquals(70 * MS, budget.debtNanos());
    }

    @Test
    void creditIsCappedAtOneBurst() {
        CpuBudget budget = new CpuBudget(1.0, 100 * MS);
        budget.settle(10_000 * MS, 0); // a long idle spell saves up no more than the burst

        budget.settle(0, 150 * MS);
        assertEquals(50 * MS, budget.debtNanos());
    }

    @Test
    void awaitCreditBlocksWhileInDebtAndReturnsOnceSettled() throws Exception {
        CpuBudget budget = new CpuBudget(0.5, 100 * MS);
        budget.settle(0, 200 * MS);
        CompletableFuture<Long> waited = awaitOnOtherThread(budget);

        assertStillWaiting(waited);
        budget.settle(100 * MS, 0); // still owes 50 ms
        assertStillWaiting(waited);
        budget.settle(100 * MS, 0); // back to zero: settled
        long nanos = waited.get(5, TimeUnit.SECONDS);
        assertTrue(nanos > 0, "reports the time it waited");
        assertEquals(0, budget.debtNanos());
    }

    @Test
    void closeReleasesWaitersForGood() throws Exception {
        CpuBudget budget = new CpuBudget(0.1, 10 * MS);
        budget.settle(0, 1_000 * MS);
        CompletableFuture<Long> waited = awaitOnOtherThread(budget);
        assertStillWaiting(waited);

        budget.close();

        waited.get(5, TimeUnit.SECONDS);
        assertTrue(budget.debtNanos() > 0, "closing forgives nothing");
        assertEquals(0, budget.awaitCredit(), "later callers do not wait either");
    }

    private static CompletableFuture<Long> awaitOnOtherThread(CpuBudget budget) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                result.complete(budget.awaitCredit());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "budget-waiter");
        waiter.setDaemon(true);
        waiter.start();
        return result;
    }

    private static void assertStillWaiting(CompletableFuture<Long> waited) throws InterruptedException, ExecutionException {
        try {
            waited.get(150, TimeUnit.MILLISECONDS);
        } catch (TimeoutException expected) {
            return;
        }
        assertFalse(waited.isDone(), "awaitCredit returned while the budget was in debt");
    }
}
