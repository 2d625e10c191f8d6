package dev.sliceplane.platform.internal.swap;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Notes the moment an implementation's API services all carry a property's value: registered at
 * a given ranking, or announced; or, for a null value, merely registered. It watches as a service
 * event listener hook, which the framework calls before it delivers the event to any listener —
 * the component runtime among them, which rebinds dynamic greedy consumers inside that delivery.
 * So the moment noted is when the new services became visible, before any consumer could rebind,
 * and the rebind time measured from it is not flattered.
 */
final class PropertyWatcher implements EventListenerHook {

    private final BundleContext context;
    private final Implementation target;
    private final String key;
    private final Integer value;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong completedAt = new AtomicLong();
    private ServiceRegistration<EventListenerHook> registration;

    PropertyWatcher(BundleContext context, Implementation target, String key, Integer value) {
        this.context = context;
        this.target = target;
        this.key = key;
        this.value = value;
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

    /**
     * Runs inside the delivery of every service event, before any consumer hears it, so it takes
     * no lock and looks at the registry only for an event that can complete the watch: one of
     * the target's services arriving or changing with the awaited value.
     */
    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        ServiceReference<?> ref = event.getServiceReference();
        if (event.getType() != ServiceEvent.UNREGISTERING && ref.getBundle() == target.bundle()
                && (value == null || value.equals(ref.getProperty(key)))) {
            checkDone();
        }
    }

    /** Waits until the services carry the value; true unless the timeout passed first. */
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
        return completedAt.get();
    }

    /**
     * Notes the first moment the watch is seen complete. The swapping thread may see it in the
     * registry just before the last event is delivered; its earlier moment only lengthens the
     * rebind time measured from it, never shortens it.
     */
    private void checkDone() {
        if (done.getCount() > 0 && SwapManagerImpl.carry(target, key, value)
                && completedAt.compareAndSet(0, System.nanoTime())) {
            done.countDown();
        }
    }
}
