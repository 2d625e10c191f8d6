package dev.sliceplane.platform.internal.swap;

import java.util.Collection;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * While a swap runs, hides the incoming implementation's services that are still at
 * {@link SwapManagerImpl#STANDBY_RANKING} from every bundle but the swap manager's, the
 * implementation's own and the framework.
 *
 * <p>The swap manager gets those services first, so their components are activated before any
 * consumer rebinds, and then ranks them up. The component runtime rebinds a greedy reference
 * when a better service is <em>added</em>, not when a service it already tracks changes its
 * ranking; so consumers must not track the services while they stand by. To a hidden consumer
 * the ranking-up change is the first event it sees of them, which its tracker takes as the
 * service arriving: it rebinds there, to an object that is already active.
 */
final class StandbyHiding implements FindHook, EventListenerHook, AutoCloseable {

    private final BundleContext context;
    private final Bundle implementation;
    private final ServiceRegistration<?> registration;

    private StandbyHiding(BundleContext context, Bundle implementation) {
        this.context = context;
        this.implementation = implementation;
        this.registration = context.registerService(
                new String[] {FindHook.class.getName(), EventListenerHook.class.getName()}, this, null);
    }

    /** Hides the implementation's standby services from now until {@link #close()}. */
    static StandbyHiding of(BundleContext context, Bundle implementation) {
        return new StandbyHiding(context, implementation);
    }

    @Override
    public void find(BundleContext asking, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (!sees(asking)) {
            references.removeIf(this::standingBy);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (standingBy(event.getServiceReference())) {
            listeners.keySet().removeIf(listener -> !sees(listener));
        }
    }

    boolean standingBy(ServiceReference<?> reference) {
        return reference.getBundle() == implementation
                && Integer.valueOf(SwapManagerImpl.STANDBY_RANKING).equals(reference.getProperty(Constants.SERVICE_RANKING));
    }

    private boolean sees(BundleContext asking) {
        Bundle bundle;
        try {
            bundle = asking.getBundle();
        } catch (IllegalStateException e) {
            return true; // a stopped bundle's context: nothing to hide from
        }
        return bundle == null || bundle.getBundleId() == 0 || bundle == implementation
                || bundle.getBundleId() == context.getBundle().getBundleId();
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // the swap manager's bundle is stopping and took the hooks with it
        }
    }
}
