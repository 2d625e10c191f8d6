package dev.sliceplane.platform.internal.swap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

class DrainTest {

    @Test
    void theDrainLastsItsWholeTimeEvenOnAThreadHoldingAnUnparkPermit() {
        // HTTP worker threads often hold a permit; a single parkNanos would then return at once.
        LockSupport.unpark(Thread.currentThread());
        long start = System.nanoTime();
        SwapManagerImpl.drain(TimeUnit.MILLISECONDS.toNanos(50));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 50, "drained only " + waited + " ms");
    }
}
