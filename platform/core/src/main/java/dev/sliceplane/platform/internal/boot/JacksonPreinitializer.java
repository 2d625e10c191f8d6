package dev.sliceplane.platform.internal.boot;

import java.io.IOException;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The platform bundle's activator: at start, warms Jackson on a thread of its own
 * ({@link JacksonWarmUp}). Every bundle keeps its own mapper, but they share Jackson's classes,
 * whose loading and first introspection of a record are what the components activating after this
 * bundle otherwise wait for, one after another, on the thread that starts the bundles (~10 % of it
 * in a boot profile). Both are safe to do from any thread. This class names no Jackson type and
 * starts the thread without a lambda, so the starting thread loads nothing of it.
 *
 * <p>The thread ends within a few hundred milliseconds, before the management slices exist, so
 * it runs outside them; a failure is ignored, leaving the work to the first real user.
 */
public final class JacksonPreinitializer implements BundleActivator, Runnable {

    @Override
    public void start(BundleContext context) {
        Thread thread = new Thread(this, "sliceplane-preinit-jackson");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop(BundleContext context) {
        // Nothing to undo: the thread holds nothing and ends by itself.
    }

    @Override
    public void run() {
        try {
            JacksonWarmUp.roundTrip();
        } catch (IOException | RuntimeException e) {
            // Left to the first real user.
        }
    }
}
