package dev.sliceplane.it.bundles.runaway;

import java.util.concurrent.RejectedExecutionException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.platform.api.slice.ManagementSlice;

/**
 * A runaway: as many busy tasks as its slice has threads, each spinning 5 ms and submitting
 * itself again, for ever. Unchecked it would take every core of the node.
 */
@Component(immediate = true)
public final class Runaway {

    private final ManagementSlice slice;
    private volatile boolean running = true;

    @Activate
    public Runaway(@Reference ManagementSlice slice) {
        this.slice = slice;
        for (int i = 0; i < slice.limits().maxThreads(); i++) {
            slice.executor().execute(this::spin);
        }
    }

    @Deactivate
    void deactivate() {
        running = false;
    }

    private void spin() {
        long end = System.nanoTime() + 5_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += System.identityHashCode(this) ^ x;
        }
        if (running && x != 42) {
            try {
                slice.executor().execute(this::spin);
            } catch (RejectedExecutionException e) {
                running = false; // the slice stopped
            }
        }
    }
}
