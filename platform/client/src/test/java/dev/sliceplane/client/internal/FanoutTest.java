package dev.sliceplane.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class FanoutTest {

    @Test
    void runsAtMostParallelismTasksAtOnceAndKeepsTheOrder() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // Two parties: every task waits for a partner, so two must run at once (else the wait times out).
        CyclicBarrier pairs = new CyclicBarrier(2);
        List<Integer> items = IntStream.range(0, 8).boxed().toList();

        List<Integer> results = new Fanout(2).map(items, item -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                pairs.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("no partner ran beside item " + item, e);
            } finally {
                running.decrementAndGet();
            }
            return item * 10;
        });

        assertEquals(IntStream.range(0, 8).map(i -> i * 10).boxed().toList(), results);
        assertEquals(2, most.get(), "never more than the parallelism");
    }

    @Test
    void aTasksBugIsRethrownAsItWas() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class,
                () -> new Fanout(4).map(List.of(1, 2, 3), item -> {
                    if (item == 2) {
                        throw bug;
                    }
                    return item;
                })));
        assertThrows(IllegalArgumentException.class, () -> new Fanout(0));
    }
}
