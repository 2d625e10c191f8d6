package dev.sliceplane.platform.internal.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

class StandbyHidingTest {

    private final Bundle swapManager = bundle(5);
    private final Bundle incoming = bundle(7);
    private final Bundle consumer = bundle(9);
    private final List<String> unregistered = new ArrayList<>();

    @Test
    void consumersFindNoStandbyServiceButTheSwapManagerAndTheImplementationDo() {
        try (StandbyHiding hiding = StandbyHiding.of(context(swapManager), incoming)) {
            ServiceReference<?> standby = reference(incoming, SwapManagerImpl.STANDBY_RANKING);
            ServiceReference<?> ranked = reference(incoming, 3);
            ServiceReference<?> other = reference(consumer, SwapManagerImpl.STANDBY_RANKING);

            assertEquals(List.of(ranked, other), found(hiding, context(consumer), standby, ranked, other));
            assertEquals(List.of(standby, ranked, other), found(hiding, context(swapManager), standby, ranked, other));
            assertEquals(List.of(standby, ranked, other), found(hiding, context(incoming), standby, ranked, other));
            assertEquals(List.of(standby, ranked, other), found(hiding, context(bundle(0)), standby, ranked, other));
        }
        assertEquals(List.of("hooks"), unregistered);
    }

    /** The ranking-up change must reach every listener: to a consumer it is the service arriving. */
    @Test
    void eventsOfAStandbyServiceReachOnlyThoseWhoMaySeeIt() {
        try (StandbyHiding hiding = StandbyHiding.of(context(swapManager), incoming)) {
            Map<BundleContext, Collection<ListenerInfo>> listeners = listeners(consumer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.REGISTERED, reference(incoming, SwapManagerImpl.STANDBY_RANKING)),
                    listeners);
            assertEquals(1, listeners.size());
            assertTrue(listeners.keySet().stream().allMatch(c -> c.getBundle() == swapManager));

            Map<BundleContext, Collection<ListenerInfo>> rankedUp = listeners(consumer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.MODIFIED, reference(incoming, 12)), rankedUp);
            assertEquals(2, rankedUp.size());
            assertFalse(hiding.standingBy(reference(incoming, 12)));
        }
    }

    private static List<ServiceReference<?>> found(StandbyHiding hiding, BundleContext asking, ServiceReference<?>... refs) {
        List<ServiceReference<?>> result = new ArrayList<>(List.of(refs));
        hiding.find(asking, null, null, false, result);
        return result;
    }

    private Map<BundleContext, Collection<ListenerInfo>> listeners(Bundle... bundles) {
        Map<BundleContext, Collection<ListenerInfo>> map = new HashMap<>();
        for (Bundle b : bundles) {
            map.put(context(b), new ArrayList<>());
        }
        return map;
    }

    private static Bundle bundle(long id) {
        return proxy(Bundle.class, (method, args) -> switch (method) {
            case "getBundleId" -> id;
            case "hashCode" -> Long.hashCode(id);
            case "toString" -> "bundle " + id;
            default -> null;
        });
    }

    private BundleContext context(Bundle bundle) {
        return proxy(BundleContext.class, (method, args) -> switch (method) {
            case "getBundle" -> bundle;
            case "registerService" -> proxy(ServiceRegistration.class, (m, a) -> {
                if (m.equals("unregister")) {
                    unregistered.add("hooks");
                }
                return null;
            });
            case "hashCode" -> System.identityHashCode(bundle);
            default -> null;
        });
    }

    private static ServiceReference<?> reference(Bundle owner, int ranking) {
        return proxy(ServiceReference.class, (method, args) -> switch (method) {
            case "getBundle" -> owner;
            case "getProperty" -> Constants.SERVICE_RANKING.equals(args[0]) ? ranking : null;
            case "toString" -> "service of " + owner + " at " + ranking;
            default -> null;
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        Object[] self = new Object[1];
        self[0] = Proxy.newProxyInstance(StandbyHidingTest.class.getClassLoader(), new Class<?>[] {type},
                (p, m, a) -> switch (m.getName()) {
                    case "equals" -> p == a[0];
                    default -> answer.answer(m.getName(), a);
                });
        return (T) self[0];
    }
}
