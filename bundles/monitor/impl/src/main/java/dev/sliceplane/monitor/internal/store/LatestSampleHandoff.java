package dev.sliceplane.monitor.internal.store;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.sliceplane.vmm.api.VmmSnapshot;

/**
 * Hands samples from the VMM's listener thread to the monitor's management slice, so the work of
 * applying them is metered and held to the slice's share like the rest of the monitor. One
 * sample is applied at a time, in order; a sample that arrives while an older one still waits
 * replaces it (the VMM does the same for a listener that falls behind). Where no executor takes
 * the work (no slice, or it refuses), the sample is applied on the caller's thread.
 */
final class LatestSampleHandoff {

    private final Consumer<VmmSnapshot> apply;
    private final AtomicReference<VmmSnapshot> pending = new AtomicReference<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong skipped = new AtomicLong();

    LatestSampleHandoff(Consumer<VmmSnapshot> apply) {
        this.apply = apply;
    }

    /** Applies {@code snapshot} on {@code executor} (null: here and now). */
    void offer(VmmSnapshot snapshot, Executor executor) {
        if (pending.getAndSet(snapshot) != null) {
            skipped.incrementAndGet();
        }
        if (!draining.compareAndSet(false, true)) {
            return; // the running drain picks it up
        }
        if (executor != null) {
            try {
                executor.execute(this::drain);
                return;
            } catch (RejectedExecutionException e) {
                // the slice is full or stopping: apply it here rather than lose it
            }
        }
        drain();
    }

    /** Samples replaced before they were applied. */
    long skipped() {
        return skipped.get();
    }

    private void drain() {
        while (true) {
            VmmSnapshot next = pending.getAndSet(null);
            if (next != null) {
                apply.accept(next);
                continue;
            }
            draining.set(false);
            // A sample may have arrived between the last take and the release: take it over.
            if (pending.get() == null || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
