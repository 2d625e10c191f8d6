package dev.sliceplane.jose.internal;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The bundle's activator: at start, builds BouncyCastle's Ed25519 tables on a thread of its own.
 * The first key derived or signature made builds them otherwise (10–20 ms at start-up), and on a
 * node that is the accounts bundle reading the authority's keys on the thread that starts the
 * bundles. The tables are built once per class loader, under BouncyCastle's own lock, so a user
 * arriving meanwhile waits for the rest of the work instead of doing all of it. The thread is
 * started without a lambda, so the starting thread does not even load {@code Ed25519}.
 */
public final class Ed25519Precompute implements BundleActivator, Runnable {

    @Override
    public void start(BundleContext context) {
        Thread thread = new Thread(this, "sliceplane-preinit-ed25519");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop(BundleContext context) {
        // Nothing to undo: the tables belong to the class, and the thread ends by itself.
    }

    @Override
    public void run() {
        Ed25519.precompute();
    }
}
