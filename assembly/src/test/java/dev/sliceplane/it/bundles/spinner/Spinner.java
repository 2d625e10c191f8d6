package dev.sliceplane.it.bundles.spinner;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.platform.api.slice.ManagementSlice;

/**
 * A task that never yields: one busy loop on its slice's executor until the component stops.
 * Waiting before tasks cannot hold it, so the slice must be reported and, by policy, stopped.
 */
@Component(immediate = true)
public final class Spinner {

    private volatile boolean running = true;

    @Activate
    public Spinner(@Reference ManagementSlice slice) {
        slice.executor().execute(this::spin);
    }

    @Deactivate
    void deactivate() {
        running = false;
    }

    private void spin() {
        long x = 0;
        while (running && !Thread.currentThread().isInterrupted()) {
            x += System.nanoTime() ^ x;
        }
        if (x == 42) {
            Thread.yield();
        }
    }
}
