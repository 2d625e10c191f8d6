package dev.sliceplane.platform.internal.swap;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Keeps an implementation's services in use while a swap runs: the outgoing one's, and the
 * incoming one's from before consumers rebind to them (so they are activated ahead of it).
 *
 * <p>The component runtime deactivates a delayed component as soon as no bundle uses its
 * service any more, which is the moment the last consumer rebinds, not the moment the swap stops
 * the bundle. A call that read the old reference just before the rebind would then meet a
 * deactivated object however long the drain. Getting each service here makes the swap manager
 * one more user, so the old objects stay active until the drain is over. Singleton-scoped
 * services (the default for components) share that one object; a prototype-scoped service gives
 * each consumer its own, which this cannot hold.
 */
final class ServiceHold implements AutoCloseable {

    private final BundleContext context;
    private final List<ServiceReference<?>> held = new ArrayList<>();

    private ServiceHold(BundleContext context) {
        this.context = context;
    }

    /** Holds nothing. */
    static ServiceHold none(BundleContext context) {
        return new ServiceHold(context);
    }

    /** Gets every API service the implementations registered; ones already gone are skipped. */
    static ServiceHold on(BundleContext context, List<Implementation> implementations) {
        ServiceHold hold = new ServiceHold(context);
        for (Implementation impl : implementations) {
            for (ServiceReference<?> ref : SwapManagerImpl.apiServices(impl)) {
                if (context.getService(ref) != null) {
                    hold.held.add(ref);
                }
            }
        }
        return hold;
    }

    int size() {
        return held.size();
    }

    @Override
    public void close() {
        for (ServiceReference<?> ref : held) {
            try {
                context.ungetService(ref);
            } catch (IllegalStateException e) {
                // the swap manager's own bundle is stopping; the framework releases its services
            }
        }
        held.clear();
    }
}
