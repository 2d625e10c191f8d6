package dev.sliceplane.platform.internal.swap;

import java.util.Collection;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;

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
 * While a swap runs, hides the incoming implementation's API services that do not yet carry the
 * swap's ranking from every bundle but the swap manager's, the implementation's own and the
 * framework; and once told who the consumers are, lets them alone hear the ranking-up.
 *
 * <p>The swap manager starts the incoming bundle as it is configured and gets its services, so
 * their components are activated before any consumer rebinds, and then ranks them up. The
 * component runtime rebinds a greedy reference when a better service is <em>added</em>, not when
 * a service it already tracks changes its ranking; so consumers must not track the services
 * while they stand by. To a hidden consumer the ranking-up change is the first event it sees of
 * them, which its tracker takes as the service arriving: it rebinds there, to an object that is
 * already active.
 *
 * <p>The framework hands an event to its listeners one after another, in an order of its own,
 * and some listeners are slow: the OSGi Log service takes a stack trace of every service event.
 * Withholding the ranking-up from all but the consumers lets their rebind start at once; the
 * swap manager then announces the services to everyone with a second change
 * ({@link SwapManagerImpl#ANNOUNCED}), which this hiding lets through.
 *
 * <p>The thread that delivers the ranking-up is raised as it passes ({@link RebindPriority}) and
 * made normal again as the announcement reaches this hook: Configuration Admin delivers its
 * events one after the other on that thread, so by then every consumer's rebind, however long
 * it took, is over, and the announcement itself, which every listener hears, runs at normal priority.
 */
final class StandbyHiding implements FindHook, EventListenerHook, AutoCloseable {

    private final BundleContext context;
    private final Implementation implementation;
    /** The swap's ranking: the implementation's API services are hidden until they carry it. */
    private final Integer rank;
    private final RebindPriority priority;
    private final ServiceRegistration<?> registration;
    /** The bundles that hear the ranking-up first; null until known. */
    private volatile Set<Long> consumers;

    private StandbyHiding(BundleContext context, Implementation implementation, int rank, RebindPriority priority) {
        this.context = context;
        this.implementation = implementation;
        this.rank = rank;
        this.priority = priority;
        // Ranked first among the hooks, so the thread is raised before the others' work.
        this.registration = context.registerService(
                new String[] {FindHook.class.getName(), EventListenerHook.class.getName()}, this,
                new Hashtable<>(Map.of(Constants.SERVICE_RANKING, Integer.MAX_VALUE)));
    }

    /**
     * Hides the implementation's API services that do not carry {@code rank} from now until
     * {@link #close()}, and raises the threads that deliver the ranking-up to {@code priority}
     * until the announcement is delivered.
     */
    static StandbyHiding of(BundleContext context, Implementation implementation, int rank, RebindPriority priority) {
        return new StandbyHiding(context, implementation, rank, priority);
    }

    /**
     * From now on, changes of the implementation's API services reach only these bundles (and
     * those that may see standby services).
     */
    void consumersFirst(Set<Long> consumerBundles) {
        this.consumers = Set.copyOf(consumerBundles);
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
        if (event.getType() == ServiceEvent.UNREGISTERING) {
            // Everyone hears a service leave: a listener that tracked it before the swap began
            // must drop it, and one that never saw it ignores the event.
            return;
        }
        ServiceReference<?> reference = event.getServiceReference();
        if (standingBy(reference)) {
            listeners.keySet().removeIf(listener -> !sees(listener));
            return;
        }
        if (!implementation.providesApi(reference)) {
            return;
        }
        if (rank.equals(reference.getProperty(SwapManagerImpl.ANNOUNCED))) {
            priority.close();
            return;
        }
        Set<Long> first = consumers;
        if (first != null) {
            priority.raiseCurrentThread();
            listeners.keySet().removeIf(listener -> !sees(listener) && !first.contains(bundleId(listener)));
        }
    }

    boolean standingBy(ServiceReference<?> reference) {
        return implementation.providesApi(reference) && !rank.equals(reference.getProperty(Constants.SERVICE_RANKING));
    }

    private boolean sees(BundleContext asking) {
        Bundle bundle;
        try {
            bundle = asking.getBundle();
        } catch (IllegalStateException e) {
            return true; // a stopped bundle's context: nothing to hide from
        }
        return bundle == null || bundle.getBundleId() == 0 || bundle == implementation.bundle()
                || bundle.getBundleId() == context.getBundle().getBundleId();
    }

    private static long bundleId(BundleContext listener) {
        try {
            Bundle bundle = listener.getBundle();
            return bundle == null ? -1 : bundle.getBundleId();
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    /** Ends the hiding; closing twice is harmless. */
    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already closed, or the swap manager's bundle is stopping and took the hooks with it
        }
    }
}
