package dev.sliceplane.vmm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmSnapshot;
import dev.sliceplane.vmm.api.VmmStatusListener;

class StatusHooksTest {

    private final StatusHooks hooks = new StatusHooks("test-hook-");

    @AfterEach
    void close() {
        hooks.close();
    }

    @Test
    void aHungListenerDelaysNeitherOthersNorThePublisher() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        hooks.add(new VmmStatusListener() {
            @Override
            public void sampled(VmmSnapshot snapshot) {
                await(release);
            }
        }, "hung");
        CountDownLatch delivered = new CountDownLatch(50);
        hooks.add(new VmmStatusListener() {
            @Override
            public void sampled(VmmSnapshot snapshot) {
                delivered.countDown();
            }
        }, "healthy");

        long start = System.nanoTime();
        for (int i = 1; i <= 50; i++) {
            hooks.publish(snapshot(i));
            // The healthy listener sees each sample: wait for it so none is coalesced.
            awaitCount(delivered, 50 - i);
        }
        long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(delivered.await(5, TimeUnit.SECONDS), "the healthy listener got every sample");
        assertTrue(publishMillis < 5_000, "publishing never waited for the hung listener");
        StatusHooks.ListenerStats hung = stats("hung");
        assertEquals(0, hung.samplesDelivered());
        assertEquals(48, hung.samplesSkipped(), "the hung listener holds one and keeps only the newest");
        release.countDown();
    }

    @Test
    void eventsArriveInOrderBeforeTheSampleThatFollowsThem() throws Exception {
        List<String> seen = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        hooks.add(new VmmStatusListener() {
            @Override
            public void event(VmmEvent event) {
                await(gate);
                synchronized (seen) {
                    seen.add(event.sliver());
                }
            }

            @Override
            public void sampled(VmmSnapshot snapshot) {
                synchronized (seen) {
                    seen.add("sample" + snapshot.sequence());
                }
                done.countDown();
            }
        }, "ordered");

        for (int i = 0; i < 100; i++) {
            hooks.publish(VmmEvent.created("s" + i, Instant.EPOCH));
        }
        hooks.publish(snapshot(1));
        gate.countDown();

        assertTrue(done.await(5, TimeUnit.SECONDS));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("s" + i);
        }
        expected.add("sample1");
        synchronized (seen) {
            assertEquals(expected, seen, "no event skipped, order kept, events before the later sample");
        }
    }

    @Test
    void aFailingListenerKeepsGettingCallsAndIsCounted() throws Exception {
        CountDownLatch calls = new CountDownLatch(3);
        hooks.add(new VmmStatusListener() {
            @Override
            public void event(VmmEvent event) {
                calls.countDown();
                throw new IllegalStateException("broken listener");
            }
        }, "failing");

        for (int i = 0; i < 3; i++) {
            hooks.publish(VmmEvent.created("s" + i, Instant.EPOCH));
        }

        assertTrue(calls.await(5, TimeUnit.SECONDS));
        waitUntil(() -> stats("failing").failures() == 3);
        assertEquals(3, stats("failing").eventsDelivered());
    }

    @Test
    void aRemovedListenerIsNotCalledAgain() throws Exception {
        List<VmmEvent> seen = new ArrayList<>();
        VmmStatusListener listener = new VmmStatusListener() {
            @Override
            public void event(VmmEvent event) {
                synchronized (seen) {
                    seen.add(event);
                }
            }
        };
        hooks.add(listener, "removed");
        hooks.remove(listener);
        hooks.publish(VmmEvent.created("s", Instant.EPOCH));
        Thread.sleep(100);
        synchronized (seen) {
            assertTrue(seen.isEmpty());
        }
        assertTrue(hooks.stats().isEmpty());
    }

    private StatusHooks.ListenerStats stats(String name) {
        return hooks.stats().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    static VmmSnapshot snapshot(long sequence) {
        return new VmmSnapshot(sequence, Instant.EPOCH, "test", true, null, List.of());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitCount(CountDownLatch latch, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (latch.getCount() > count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(5);
        }
    }
}
