package dev.sliceplane.platform.internal.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real threads on the real kernel: skipped where a thread may not be made real-time. */
class RebindPriorityTest {

    static final int SCHED_OTHER = 0;
    static final int SCHED_FIFO = 1;

    private LinuxScheduling scheduling;

    @BeforeEach
    void needsRealtimeThreads() {
        try {
            scheduling = LinuxScheduling.load();
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "skipped: " + e.getMessage());
        }
    }

    @Test
    void raisesEachDeliveringThreadUntilClosed() throws Exception {
        AtomicInteger other = new AtomicInteger();
        CountDownLatch raised = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (RebindPriority priority = RebindPriority.realtime(scheduling)) {
            Thread delivering = new Thread(() -> {
                priority.raiseCurrentThread();
                other.set(scheduling.currentThreadId());
                raised.countDown();
                await(closed);
            });
            delivering.start();
            raised.await();
            priority.raiseCurrentThread();
            int self = scheduling.currentThreadId();
            assertEquals(SCHED_FIFO, policyOf(self));
            assertEquals(SCHED_FIFO, policyOf(other.get()));

            priority.close();
            assertEquals(SCHED_OTHER, policyOf(self));
            assertEquals(SCHED_OTHER, policyOf(other.get()));
            closed.countDown();
            delivering.join();
        }
    }

    @Test
    void aRaiseAfterTheSwapIsOverDoesNothing() throws Exception {
        RebindPriority priority = RebindPriority.realtime(scheduling);
        priority.close();
        priority.raiseCurrentThread();
        assertEquals(SCHED_OTHER, policyOf(scheduling.currentThreadId()));
    }

    /** The scheduling policy, field 41 of {@code proc(5)}'s stat, counted after the command's closing parenthesis. */
    static int policyOf(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[41 - 3]);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
