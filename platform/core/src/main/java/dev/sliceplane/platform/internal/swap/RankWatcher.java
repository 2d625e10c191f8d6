package dev.sliceplane.platform.internal.swap;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Notes the moment an implementation's API services are all registered at a given ranking. It
 * watches as a service event listener hook, which the framework calls before it delivers the
 * event to any listener — the component runtime among them, which rebinds dynamic greedy
 * consumers inside that delivery. So the moment noted is when the new services became visible,
 * before any consumer could rebind, and the rebind time measured from it is not flattered.
 */
final class RankWatcher implements EventListenerHook {

    private final BundleContext context;
    private final Implementation target;
    private final int rank;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long completedAt;
    private ServiceRegistration<EventListenerHook> registration;

    RankWatcher(BundleContext context, Implementation target, int rank) {
        this.context = context;
        this.target = target;
        this.rank = rank;
    }

    void open() {
        registration = context.registerService(EventListenerHook.class, this, null);
    }

    void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // the swap manager's bundle is stopping and took the hook with it
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
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
