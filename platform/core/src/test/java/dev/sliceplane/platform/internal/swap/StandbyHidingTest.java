package dev.sliceplane.platform.internal.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

class StandbyHidingTest {

    private static final String API = "it.greeter.api.Greeter";
    /** The swap's ranking; the incoming implementation was configured at 3 when it last ran. */
    private static final int RANK = 12;
    private static final int AS_CONFIGURED = 3;

    private final Bundle swapManager = bundle(5);
    private final Bundle incoming = bundle(7);
    private final Bundle consumer = bundle(9);
    private final Bundle observer = bundle(11);
    private final Implementation implementation = new Implementation("greeter", List.of(API), false, false, incoming);
    private final List<String> unregistered = new ArrayList<>();

    @Test
    void consumersFindNoStandbyServiceButTheSwapManagerAndTheImplementationDo() {
        try (StandbyHiding hiding = StandbyHiding.of(context(swapManager), implementation, RANK, RebindPriority.normal())) {
            ServiceReference<?> standby = reference(incoming, AS_CONFIGURED);
            ServiceReference<?> ranked = reference(incoming, RANK);
            ServiceReference<?> other = reference(consumer, AS_CONFIGURED);
            ServiceReference<?> notApi = reference(incoming, AS_CONFIGURED, "it.greeter.Health");

            assertEquals(List.of(ranked, other, notApi), found(hiding, context(consumer), standby, ranked, other, notApi));
            assertEquals(List.of(standby, ranked, other, notApi),
                    found(hiding, context(swapManager), standby, ranked, other, notApi));
            assertEquals(List.of(standby, ranked, other, notApi),
                    found(hiding, context(incoming), standby, ranked, other, notApi));
            assertEquals(List.of(standby, ranked, other, notApi),
                    found(hiding, context(bundle(0)), standby, ranked, other, notApi));
        }
        assertEquals(List.of("hooks"), unregistered);
    }

    /** The ranking-up change must reach every listener: to a consumer it is the service arriving. */
    @Test
    void eventsOfAStandbyServiceReachOnlyThoseWhoMaySeeIt() {
        try (StandbyHiding hiding = StandbyHiding.of(context(swapManager), implementation, RANK, RebindPriority.normal())) {
            Map<BundleContext, Collection<ListenerInfo>> listeners = listeners(consumer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.REGISTERED, reference(incoming, AS_CONFIGURED)), listeners);
            assertEquals(1, listeners.size());
            assertTrue(listeners.keySet().stream().allMatch(c -> c.getBundle() == swapManager));

            Map<BundleContext, Collection<ListenerInfo>> rankedUp = listeners(consumer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.MODIFIED, reference(incoming, RANK)), rankedUp);
            assertEquals(2, rankedUp.size());
            assertFalse(hiding.standingBy(reference(incoming, RANK)));

            Map<BundleContext, Collection<ListenerInfo>> leaving = listeners(consumer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.UNREGISTERING, reference(incoming, AS_CONFIGURED)), leaving);
            assertEquals(Set.of(consumer, swapManager), bundlesOf(leaving),
                    "a service that leaves is heard to leave by whoever tracked it before the swap");
        }
    }

    /** The consumers rebind before anyone else hears of the new services; the others hear of them once the hiding ends. */
    @Test
    void onceTheConsumersAreKnownOnlyTheyHearTheRankingUp() {
        try (StandbyHiding hiding = StandbyHiding.of(context(swapManager), implementation, RANK, RebindPriority.normal())) {
            hiding.consumersFirst(Set.of(consumer.getBundleId()));

            Map<BundleContext, Collection<ListenerInfo>> rankedUp = listeners(consumer, observer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.MODIFIED, reference(incoming, RANK)), rankedUp);
            assertEquals(Set.of(consumer, swapManager), bundlesOf(rankedUp));

            Map<BundleContext, Collection<ListenerInfo>> otherService = listeners(consumer, observer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.REGISTERED, reference(incoming, RANK, "it.greeter.Health")), otherService);
            assertEquals(Set.of(consumer, observer, swapManager), bundlesOf(otherService), "only the API's services are held");

            Map<BundleContext, Collection<ListenerInfo>> announced = listeners(consumer, observer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.MODIFIED, announced(incoming)), announced);
            assertEquals(Set.of(consumer, observer, swapManager), bundlesOf(announced), "everyone hears the announcement");

            Map<BundleContext, Collection<ListenerInfo>> leaving = listeners(consumer, observer, swapManager);
            hiding.event(new ServiceEvent(ServiceEvent.UNREGISTERING, reference(incoming, RANK)), leaving);
            assertEquals(Set.of(consumer, observer, swapManager), bundlesOf(leaving), "everyone hears a service leave");
        }
    }

    /**
     * The thread that delivers the ranking-up stays real-time until it delivers the announcement,
     * which follows every consumer's rebind. Real threads on the real kernel: skipped where a
     * thread may not be made real-time.
     */
    @Test
    void theDeliveringThreadIsRealtimeFromTheRankingUpToTheAnnouncement() throws Exception {
        LinuxScheduling scheduling;
        try {
            scheduling = LinuxScheduling.load();
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "skipped: " + e.getMessage());
            return;
        }
        try (RebindPriority priority = RebindPriority.realtime(scheduling);
                StandbyHiding hiding = StandbyHiding.of(context(swapManager), implementation, RANK, priority)) {
            hiding.consumersFirst(Set.of(consumer.getBundleId()));
            int self = scheduling.currentThreadId();

            hiding.event(new ServiceEvent(ServiceEvent.MODIFIED, reference(incoming, RANK)), listeners(consumer, observer));
            assertEquals(RebindPriorityTest.SCHED_FIFO, RebindPriorityTest.policyOf(self),
                    "the ranking-up is delivered real-time");

            hiding.event(new ServiceEvent(ServiceEvent.MODIFIED, announced(incoming)), listeners(consumer, observer));
            assertEquals(RebindPriorityTest.SCHED_OTHER, RebindPriorityTest.policyOf(self),
                    "the announcement, after every rebind, is delivered at normal priority");

            hiding.event(new ServiceEvent(ServiceEvent.MODIFIED, reference(incoming, RANK)), listeners(consumer, observer));
            assertEquals(RebindPriorityTest.SCHED_OTHER, RebindPriorityTest.policyOf(self),
                    "nothing is raised after the announcement");
        }
    }

    private static Set<Bundle> bundlesOf(Map<BundleContext, Collection<ListenerInfo>> listeners) {
        Set<Bundle> bundles = new HashSet<>();
        listeners.keySet().forEach(context -> bundles.add(context.getBundle()));
        return bundles;
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
        return reference(owner, ranking, API);
    }

    private static ServiceReference<?> reference(Bundle owner, int ranking, String objectClass) {
        return reference(owner, ranking, objectClass, null);
    }

    /** An API service at the swap's ranking, announced to everyone. */
    private static ServiceReference<?> announced(Bundle owner) {
        return reference(owner, RANK, API, RANK);
    }

    private static ServiceReference<?> reference(Bundle owner, int ranking, String objectClass, Integer announced) {
        return proxy(ServiceReference.class, (method, args) -> switch (method) {
            case "getBundle" -> owner;
            case "getProperty" -> switch ((String) args[0]) {
                case Constants.SERVICE_RANKING -> ranking;
                case Constants.OBJECTCLASS -> new String[] {objectClass};
                case SwapManagerImpl.ANNOUNCED -> announced;
                default -> null;
            };
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
