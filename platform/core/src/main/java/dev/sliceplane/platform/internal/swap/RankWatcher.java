package dev.sliceplane.platform.internal.swap;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * Notes the moment an implementation's API services are all registered at a given ranking. The
 * framework delivers service events synchronously, in the registering thread, to every listener —
 * including the component runtime, which rebinds dynamic greedy consumers there — so this moment is
 * also when consumers start to rebind.
 */
final class RankWatcher implements ServiceListener {

    private final BundleContext context;
    private final Implementation target;
    private final int rank;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long completedAt;

    RankWatcher(BundleContext context, Implementation target, int rank) {
        this.context = context;
        this.target = target;
        this.rank = rank;
    }

    void open() {
        context.addServiceListener(this);
    }

    void close() {
        context.removeServiceListener(this);
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() != ServiceEvent.UNREGISTERING
                && event.getServiceReference().getBundle() == target.bundle()) {
            checkDone();
        }
    }

    /** Waits until the services are ranked; true unless the timeout passed first. */
    boolean await(Duration timeout) {
        checkDone();
        try {
            return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    long completedAt() {
        return completedAt;
    }

    private synchronized void checkDone() {
        if (done.getCount() > 0 && SwapManagerImpl.rankedAt(target, rank)) {
            completedAt = System.nanoTime();
            done.countDown();
        }
    }
}
