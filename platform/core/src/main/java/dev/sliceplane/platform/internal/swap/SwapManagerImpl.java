package dev.sliceplane.platform.internal.swap;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.framework.dto.ServiceReferenceDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.platform.api.swap.ImplementationInfo;
import dev.sliceplane.platform.api.swap.SubServiceInfo;
import dev.sliceplane.platform.api.swap.SwapException;
import dev.sliceplane.platform.api.swap.SwapException.Reason;
import dev.sliceplane.platform.api.swap.SwapManager;
import dev.sliceplane.platform.api.swap.SwapReport;
import dev.sliceplane.platform.internal.NodePaths;

/**
 * Keeps one implementation of each sub-service active and swaps them make-before-break.
 *
 * <p>The active implementation's services carry the highest {@code service.ranking} of their
 * sub-service, set through Configuration Admin on its components. A swap starts the new bundle,
 * raises its ranking above the old one's — dynamic greedy consumers rebind to it as it registers —
 * waits until no consumer still uses the old services, lets calls in flight drain, and only then
 * stops the old bundle. Unrelated bundles are neither stopped nor refreshed. The choice is
 * persisted; at start and whenever implementations come or go the manager reconciles the running
 * bundles with it.
 */
@Component(service = {SwapManager.class, SwapManagerImpl.class}, immediate = true,
        configurationPid = "dev.sliceplane.swap")
@Designate(ocd = SwapManagerImpl.Config.class)
public final class SwapManagerImpl implements SwapManager {

    private static final Logger LOG = LoggerFactory.getLogger(SwapManagerImpl.class);
    /** For {@link #start}: leave the ranking as configured. */
    private static final Integer AS_CONFIGURED = null;
    /**
     * Set on an implementation's API services, to the swap's ranking, once its consumers have
     * rebound: the change that tells every other listener of the services ({@link StandbyHiding}).
     */
    static final String ANNOUNCED = "sliceplane.swap.announced";
    /** How long a swap leaves the consumers to rebind undisturbed after the ranking-up (see {@link #start}). */
    private static final long REBIND_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    @ObjectClassDefinition(name = "Sliceplane swap manager", description = "How sub-service implementations are swapped.")
    public @interface Config {
        @AttributeDefinition(description = "After consumers have rebound, how long calls already in flight on the "
                + "old implementation may take to finish before it stops, in milliseconds. The old services "
                + "stay active until then. A call on a thread descheduled longer than this can still meet the "
                + "stopped one.")
        long drainMillis() default 250;

        @AttributeDefinition(description = "During a swap, how long the new implementation may take to start and "
                + "register, in milliseconds; after that the swap fails and the old one keeps running. At start "
                + "the chosen implementation is not timed: it runs once the services it requires are there.")
        long timeoutMillis() default 10000;

        @AttributeDefinition(description = "Whether the thread that delivers a swap's ranking-up runs real-time "
                + "(Linux SCHED_FIFO, lowest priority) until consumers have rebound, a few milliseconds, so that "
                + "busy threads do not hold up the rebind. Needs CAP_SYS_NICE (root); without it, or off Linux, "
                + "swaps rebind at normal priority.")
        boolean realtimeRebind() default true;
    }

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final ServiceComponentRuntime scr;
    private final ManagementSlice slice;
    private final Config config;
    private final SwapState state;
    /** One swap or reconciliation at a time. */
    private final ReentrantLock lock = new ReentrantLock();
    private final BundleListener implementationWatcher = this::onBundleEvent;
    private final ConfigurationEventThread configurationEvents = new ConfigurationEventThread();
    private final ServiceRegistration<ConfigurationListener> configurationEventsRegistration;
    /** Loaded at the first swap that rebinds; null if swaps rebind at normal priority. */
    private LinuxScheduling scheduling;
    private boolean schedulingLoaded;

    @Activate
    public SwapManagerImpl(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference ServiceComponentRuntime scr, @Reference ManagementSlice slice, Config config) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.scr = scr;
        this.slice = slice;
        this.config = config;
        this.state = new SwapState(NodePaths.dataDir(context).resolve("swap").resolve("active.properties"));
        context.addBundleListener(implementationWatcher);
        configurationEventsRegistration = context.registerService(ConfigurationListener.class, configurationEvents, null);
        slice.executor().execute(this::reconcile);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(implementationWatcher);
        configurationEventsRegistration.unregister();
    }

    @Override
    public List<SubServiceInfo> services() {
        return implementations().entrySet().stream().map(e -> describe(e.getKey(), e.getValue())).toList();
    }

    @Override
    public Optional<SubServiceInfo> service(String name) {
        List<Implementation> impls = implementations().get(name);
        return impls == null ? Optional.empty() : Optional.of(describe(name, impls));
    }

    @Override
    public SwapReport swap(String service, String implementation) throws SwapException {
        if (!acquire()) {
            throw new SwapException(Reason.TIMEOUT, "another swap is still in progress; try again");
        }
        try {
            List<Implementation> impls = implementations().get(service);
            if (impls == null) {
                throw new SwapException(Reason.UNKNOWN_SERVICE, "no sub-service named '" + service + "' is installed");
            }
            if (impls.stream().anyMatch(Implementation::core)) {
                throw new SwapException(Reason.CORE_SERVICE, service + " is a core sub-service and is never swapped");
            }
            Implementation target = impls.stream()
                    .filter(i -> i.symbolicName().equals(implementation))
                    .findFirst()
                    .orElseThrow(() -> new SwapException(Reason.UNKNOWN_IMPLEMENTATION, "'" + implementation
                            + "' is not an installed implementation of " + service + "; installed: "
                            + impls.stream().map(Implementation::symbolicName).toList()));
            if (target.isActive() && isChosen(service, target) && othersStopped(impls, target)) {
                throw new SwapException(Reason.ALREADY_ACTIVE, implementation + " is already the active " + service);
            }
            return switchTo(service, target, impls);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits the whole drain. One {@code parkNanos} is not enough: it returns at once when the
     * thread holds an unpark permit (an HTTP worker thread often does), which let stale calls
     * meet a stopped implementation.
     */
    static void drain(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Makes {@code target} the running implementation make-before-break: start it standing by,
     * rank it up (the thread that delivers that change real-time, {@link RebindPriority}), wait
     * until consumers have rebound, drain, and only then stop the others. If it
     * does not register in time, it is stopped again and the others keep running.
     */
    private SwapReport switchTo(String service, Implementation target, List<Implementation> impls)
            throws SwapException {
        long start = System.nanoTime();
        String from = impls.stream().filter(i -> i != target && i.isActive())
                .map(Implementation::symbolicName).findFirst().orElse(null);
        int rank = state.rank(service) + 1;
        List<Implementation> others = impls.stream().filter(i -> i != target && i.isActive()).toList();
        long registeredAt;
        long reboundAt;
        boolean rebinds = !others.isEmpty();
        boolean targetWasActive = target.isActive();
        try (ServiceHold hold = ServiceHold.on(context, others);
                RebindPriority priority = rebinds ? rebindPriority() : RebindPriority.normal();
                StandbyHiding hiding = rebinds ? StandbyHiding.of(context, target, rank, priority) : null;
                ServiceHold ready = rebinds ? standBy(target) : ServiceHold.none(context)) {
            // Found before the ranking-up, so that no scan of the component runtime competes
            // with the rebinds it sets off.
            List<Consumer> consumers = rebinds ? consumersOf(target, others) : List.of();
            Set<Long> old = serviceIds(others);
            if (rebinds) {
                hiding.consumersFirst(bundleIds(consumers));
            }
            // The ranking-up reaches consumers on Configuration Admin's event thread: raised
            // before it wakes, so no busy thread preempts the rebinds (StandbyHiding raises any
            // other, and makes them normal once that thread has moved on to the announcement).
            configurationEvents.id().ifPresent(priority::raise);
            registeredAt = start(target, rank);
            if (rebinds) {
                announce(target, rank);
                hiding.close();
            }
            // Normally done already, as the announcement passed the hiding; not if it was not
            // seen in time, and no thread may stay real-time through the drain.
            priority.close();
            reboundAt = awaitRebound(old, target, consumers);
            if (rebinds) {
                drain(TimeUnit.MILLISECONDS.toNanos(config.drainMillis()));
            }
        } catch (SwapException e) {
            // Standing by started the target; a failed ranking-up must not leave it running.
            stopQuietly(target, targetWasActive);
            throw e;
        }
        stopAll(service, others);
        state.record(service, target.symbolicName(), rank);
        long end = System.nanoTime();
        LOG.info("swapped {} from {} to {} in {} ms", service, from, target.symbolicName(), (end - start) / 1_000_000);
        return new SwapReport(service, from, target.symbolicName(), (end - start) / 1000,
                Math.max(0, reboundAt - registeredAt) / 1000);
    }

    /** Real-time rebinds if configured and permitted; checked once, at the first swap that rebinds (under {@link #lock}). */
    private RebindPriority rebindPriority() {
        if (!schedulingLoaded) {
            schedulingLoaded = true;
            if (!config.realtimeRebind()) {
                LOG.info("swaps rebind at normal priority: realtimeRebind is off");
            } else {
                try {
                    scheduling = LinuxScheduling.load();
                    LOG.info("swaps deliver their ranking-up on a real-time thread until consumers have rebound");
                } catch (UnsupportedOperationException e) {
                    LOG.info("swaps rebind at normal priority: {}", e.getMessage());
                }
            }
        }
        return scheduling == null ? RebindPriority.normal() : RebindPriority.realtime(scheduling);
    }

    /**
     * Brings {@code chosen} up without a swap's waiting: reconciling at start (or after the
     * running implementation went away) is no swap an operator asked for, and no caller is
     * mid-call. Its bundle is started with its ranking configured and left running however long
     * its components take to register: at boot they may wait for services that take a while
     * (the accounts registry opens on its own thread), and giving up on them would leave the
     * node without the sub-service until the next bundle event.
     */
    private void settle(String service, Implementation chosen, List<Implementation> impls) throws SwapException {
        int rank = isChosen(service, chosen) ? state.rank(service) : state.rank(service) + 1;
        try {
            configure(chosen, Constants.SERVICE_RANKING, rank);
            if (!chosen.isActive()) {
                chosen.bundle().start();
            }
        } catch (BundleException | IllegalStateException e) {
            throw new SwapException(Reason.NOT_STARTABLE, chosen.symbolicName() + " could not start: " + e.getMessage(), e);
        }
        stopAll(service, impls.stream().filter(i -> i != chosen && i.isActive()).toList());
        state.record(service, chosen.symbolicName(), rank);
        LOG.debug("{} runs {} at ranking {}", service, chosen.symbolicName(), rank);
    }

    private static void stopAll(String service, List<Implementation> implementations) {
        for (Implementation impl : implementations) {
            try {
                impl.bundle().stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("{}: could not stop {}", service, impl.symbolicName(), e);
            }
        }
    }

    /**
     * Starts the implementation as it is configured, its services hidden from the consumers
     * ({@link StandbyHiding}) until they carry the swap's ranking, and gets them: the component
     * runtime creates and activates their (delayed) components now. Ranking them up then rebinds
     * consumers to objects that are already active; otherwise each consumer's rebind, which runs
     * inside the registration's dispatch, would wait for the new implementation's classes to load
     * and its components to activate. The hold keeps them active until the swap is over (the
     * runtime deactivates a delayed component no bundle uses).
     *
     * <p>The configuration is not changed before the start. The component runtime (Felix SCR)
     * reads a changed configuration's properties and its change count one after the other, so a
     * change made here, whose event it may handle only later, could be read with the ranking-up's
     * change count but without its ranking; the ranking-up would then count as seen, and the swap
     * would wait for it in vain.
     */
    private ServiceHold standBy(Implementation target) throws SwapException {
        if (!target.isActive()) {
            start(target, AS_CONFIGURED);
        }
        return ServiceHold.on(context, List.of(target));
    }

    /**
     * Ranks the implementation's services at {@code rank} ({@link #AS_CONFIGURED}: as they are),
     * starting its bundle if needed, and waits until they are registered at that ranking.
     *
     * @return {@link System#nanoTime()} when the last of them was
     */
    private long start(Implementation target, Integer rank) throws SwapException {
        boolean wasActive = target.isActive();
        PropertyWatcher watcher = new PropertyWatcher(context, target, Constants.SERVICE_RANKING, rank);
        watcher.open();
        try {
            if (rank != AS_CONFIGURED) {
                configure(target, Constants.SERVICE_RANKING, rank);
            }
            if (!wasActive) {
                target.bundle().start();
            }
            if (!watcher.await(Duration.ofMillis(config.timeoutMillis()))) {
                String awaited = target.symbolicName() + " did not register " + target.api()
                        + (rank == AS_CONFIGURED ? "" : " at ranking " + rank) + " within " + config.timeoutMillis() + " ms";
                LOG.warn("{}; what it has: {}", awaited, stateOf(target, Constants.SERVICE_RANKING));
                throw new SwapException(Reason.TIMEOUT,
                        awaited + "; its components must provide these services and accept configuration");
            }
            if (rank != AS_CONFIGURED) {
                // Consumers rebind inside the ranking-up's delivery, on Configuration Admin's
                // thread. Closing a hook or changing a configuration now would be work for a CPU
                // and for every listener, and on a node of two CPUs it delays those rebinds.
                drain(REBIND_QUIET_NANOS);
            }
            return watcher.completedAt();
        } catch (BundleException | IllegalStateException e) {
            stopQuietly(target, wasActive);
            throw new SwapException(Reason.NOT_STARTABLE, target.symbolicName() + " could not start: " + e.getMessage(), e);
        } catch (SwapException | RuntimeException e) {
            stopQuietly(target, wasActive);
            throw e;
        } finally {
            watcher.close();
        }
    }

    /**
     * What a swap that waited in vain saw of {@code key}: on each API service, in each of the
     * components' configurations (with its change count) and in each component configuration the
     * component runtime has (with its state).
     */
    private String stateOf(Implementation target, String key) {
        StringBuilder seen = new StringBuilder();
        for (ServiceReference<?> ref : apiServices(target)) {
            seen.append("service ").append(ref.getProperty(Constants.SERVICE_ID)).append(' ')
                    .append(ref.getProperty(key)).append("; ");
        }
        try {
            for (String pid : ComponentPids.providing(target.bundle(), target.api())) {
                Configuration configuration = configAdmin.getConfiguration(pid, "?");
                Dictionary<String, Object> props = configuration.getProperties();
                seen.append("configuration ").append(pid).append(' ').append(props == null ? null : props.get(key))
                        .append(" (change ").append(configuration.getChangeCount()).append("); ");
            }
        } catch (IOException | IllegalStateException e) {
            seen.append("configurations unreadable: ").append(e.getMessage()).append("; ");
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(target.bundle())) {
            for (ComponentConfigurationDTO component : scr.getComponentConfigurationDTOs(description)) {
                seen.append("component ").append(description.name).append(' ').append(stateName(component.state))
                        .append(' ').append(component.properties.get(key)).append("; ");
            }
        }
        return seen.toString();
    }

    private static String stateName(int componentState) {
        return switch (componentState) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "state " + componentState;
        };
    }

    /**
     * Tells every listener of the target's API services about them, now that the consumers have
     * rebound: they heard the ranking-up alone ({@link StandbyHiding}). The swap has succeeded by
     * then, so a component that does not take the change in time is reported, not undone.
     */
    private void announce(Implementation target, int rank) {
        PropertyWatcher watcher = new PropertyWatcher(context, target, ANNOUNCED, rank);
        watcher.open();
        try {
            configure(target, ANNOUNCED, rank);
            if (!watcher.await(Duration.ofMillis(config.timeoutMillis()))) {
                LOG.warn("{} did not show {}={} within {} ms; listeners other than its consumers may not know "
                        + "its services yet", target.symbolicName(), ANNOUNCED, rank, config.timeoutMillis());
            }
        } catch (SwapException e) {
            LOG.error("cannot announce {}: {}", target.symbolicName(), e.getMessage());
        } finally {
            watcher.close();
        }
    }

    /**
     * Configures {@code key} on the target's components that provide its API: {@code service.ranking}
     * or {@link #ANNOUNCED}. Done before the bundle starts, its services register with that value
     * in the first place; on running components the runtime changes the registered services'
     * properties (their {@code @Modified} method takes the change without a reactivation).
     */
    private void configure(Implementation target, String key, int value) throws SwapException {
        Set<String> pids;
        try {
            pids = ComponentPids.providing(target.bundle(), target.api());
        } catch (IllegalStateException e) {
            throw new SwapException(Reason.NOT_STARTABLE, e.getMessage(), e);
        }
        for (String pid : pids) {
            try {
                Configuration configuration = configAdmin.getConfiguration(pid, "?");
                Dictionary<String, Object> props = configuration.getProperties();
                if (props == null) {
                    props = new Hashtable<>();
                }
                if (Integer.valueOf(value).equals(props.get(key))) {
                    continue;
                }
                props.put(key, value);
                configuration.update(props);
            } catch (IOException e) {
                throw new SwapException(Reason.NOT_STARTABLE, "cannot configure " + pid + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Waits until no component's unary reference is bound to one of the {@code old} services any
     * more and every reference bound to the target's services has really obtained them. The
     * component runtime reports a binding before it has activated the (delayed) new service and
     * called the consumer's bind method; until then the consumer still calls the old one.
     * References of cardinality 0..n and 1..n bind every implementation and are not waited for.
     * The checks back off from 100 µs to 1 ms: each one takes the component runtime's locks,
     * which the rebinds themselves need.
     *
     * @return {@link System#nanoTime()} when that was first seen
     */
    private long awaitRebound(Set<Long> old, Implementation target, List<Consumer> consumers) {
        Map<Long, ServiceReference<?>> fresh = new java.util.HashMap<>();
        for (ServiceReference<?> ref : apiServices(target)) {
            fresh.put((Long) ref.getProperty(Constants.SERVICE_ID), ref);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.timeoutMillis());
        long pause = 100_000;
        while (!old.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(pause);
            if (!stillSwitching(consumers, old, fresh)) {
                return System.nanoTime();
            }
            pause = Math.min(2 * pause, 1_000_000);
        }
        if (!old.isEmpty()) {
            LOG.warn("some consumers are still bound to the old implementation after {} ms; "
                    + "they are rebound when it stops", config.timeoutMillis());
        }
        return System.nanoTime();
    }

    private static Set<Long> bundleIds(List<Consumer> consumers) {
        Set<Long> ids = new HashSet<>();
        consumers.forEach(consumer -> ids.add(consumer.description().bundle.id));
        return ids;
    }

    private static Set<Long> serviceIds(List<Implementation> implementations) {
        Set<Long> ids = new HashSet<>();
        for (Implementation impl : implementations) {
            for (ServiceReference<?> ref : apiServices(impl)) {
                ids.add((Long) ref.getProperty(Constants.SERVICE_ID));
            }
        }
        return ids;
    }

    /** A component that a swap rebinds, with the names of its unary references. */
    private record Consumer(ComponentDescriptionDTO description, Set<String> unaryReferences) {
    }

    /**
     * The components with a unary reference to one of the API's interfaces: the only ones a
     * swap rebinds. Found once per swap, so that each check while waiting costs only their
     * configurations, not every component's. The implementations' own components are not
     * consumers: the old ones stop with their bundle, and the new one's may look at their own
     * service by reference only (a health check watching it), which would never count as rebound.
     */
    private List<Consumer> consumersOf(Implementation target, List<Implementation> others) {
        List<String> api = target.api();
        Set<Long> implementationBundles = new HashSet<>();
        implementationBundles.add(target.bundle().getBundleId());
        others.forEach(other -> implementationBundles.add(other.bundle().getBundleId()));
        List<Consumer> consumers = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (implementationBundles.contains(description.bundle.id)) {
                continue;
            }
            Set<String> unary = new HashSet<>();
            boolean rebound = false;
            for (ReferenceDTO ref : description.references) {
                if (!ref.cardinality.endsWith("..n")) {
                    unary.add(ref.name);
                    rebound |= api.contains(ref.interfaceName);
                }
            }
            if (rebound) {
                consumers.add(new Consumer(description, unary));
            }
        }
        return consumers;
    }

    private boolean stillSwitching(List<Consumer> consumers, Set<Long> old, Map<Long, ServiceReference<?>> fresh) {
        for (Consumer consumer : consumers) {
            long bundle = consumer.description().bundle.id;
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(consumer.description())) {
                for (SatisfiedReferenceDTO ref : configuration.satisfiedReferences) {
                    if (!consumer.unaryReferences().contains(ref.name)) {
                        continue;
                    }
                    for (ServiceReferenceDTO bound : ref.boundServices) {
                        if (old.contains(bound.id) || fresh.containsKey(bound.id) && !uses(fresh.get(bound.id), bundle)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static boolean uses(ServiceReference<?> service, long bundleId) {
        Bundle[] users = service.getUsingBundles();
        return users != null && Arrays.stream(users).anyMatch(b -> b.getBundleId() == bundleId);
    }

    static List<ServiceReference<?>> apiServices(Implementation impl) {
        ServiceReference<?>[] registered = impl.bundle().getRegisteredServices();
        if (registered == null) {
            return List.of();
        }
        return Arrays.stream(registered).filter(impl::providesApi).toList();
    }

    private void stopQuietly(Implementation target, boolean wasActive) {
        if (wasActive) {
            return;
        }
        try {
            target.bundle().stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("could not stop {} after a failed swap", target.symbolicName(), e);
        }
    }

    /** Brings the running bundles in line with the recorded choices. */
    private void reconcile() {
        lock.lock();
        try {
            for (Map.Entry<String, List<Implementation>> entry : implementations().entrySet()) {
                String service = entry.getKey();
                List<Implementation> impls = entry.getValue();
                if (impls.stream().anyMatch(Implementation::core)) {
                    continue;
                }
                Implementation chosen = chosen(service, impls);
                boolean settled = chosen.isActive() && isChosen(service, chosen) && othersStopped(impls, chosen)
                        && carry(chosen, Constants.SERVICE_RANKING, state.rank(service));
                if (!settled) {
                    try {
                        settle(service, chosen, impls);
                    } catch (SwapException e) {
                        LOG.error("cannot activate {} for {}: {}", chosen.symbolicName(), service, e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("reconciling sub-service implementations failed", e);
        } finally {
            lock.unlock();
        }
    }

    private void onBundleEvent(BundleEvent event) {
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.STARTED, BundleEvent.UNINSTALLED, BundleEvent.UPDATED -> {
                if (event.getType() == BundleEvent.UNINSTALLED || !Implementation.of(event.getBundle()).isEmpty()) {
                    slice.executor().execute(this::reconcile);
                }
            }
            default -> {
                // other transitions do not change which implementation should run
            }
        }
    }

    /** The recorded choice if installed, else the default, else whichever runs, else the first. */
    private Implementation chosen(String service, List<Implementation> impls) {
        Optional<String> recorded = state.active(service);
        return impls.stream().filter(i -> recorded.isPresent() && i.symbolicName().equals(recorded.get())).findFirst()
                .or(() -> impls.stream().filter(Implementation::isDefault).findFirst())
                .or(() -> impls.stream().filter(Implementation::isActive).findFirst())
                .orElse(impls.get(0));
    }

    private boolean isChosen(String service, Implementation impl) {
        return state.active(service).map(impl.symbolicName()::equals).orElse(false);
    }

    private static boolean othersStopped(List<Implementation> impls, Implementation chosen) {
        return impls.stream().noneMatch(i -> i != chosen && i.isActive());
    }

    /**
     * Whether the implementation has API services and each carries {@code key} = {@code value}
     * (any value, or none, if {@code value} is null).
     */
    static boolean carry(Implementation impl, String key, Integer value) {
        List<ServiceReference<?>> refs = apiServices(impl);
        return !refs.isEmpty() && refs.stream().allMatch(ref -> value == null || value.equals(ref.getProperty(key)));
    }

    private boolean acquire() {
        try {
            return lock.tryLock(config.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Installed implementations grouped by sub-service, each group sorted by symbolic name. */
    private Map<String, List<Implementation>> implementations() {
        Map<String, List<Implementation>> byService = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            for (Implementation impl : Implementation.of(bundle)) {
                byService.computeIfAbsent(impl.service(), k -> new ArrayList<>()).add(impl);
            }
        }
        byService.values().forEach(list -> list.sort(Comparator.comparing(Implementation::symbolicName)));
        return byService;
    }

    private SubServiceInfo describe(String service, List<Implementation> impls) {
        Implementation running = impls.stream().filter(Implementation::isActive).filter(i -> isChosen(service, i))
                .findFirst()
                .orElse(impls.stream().filter(Implementation::isActive).findFirst().orElse(null));
        List<ImplementationInfo> infos = impls.stream().map(i -> new ImplementationInfo(i.symbolicName(),
                i.bundle().getVersion().toString(), i.bundle().getBundleId(), dev.sliceplane.platform.internal.BundleStates.name(i.bundle().getState()),
                i.isDefault(), i == running)).toList();
        Set<String> api = new java.util.TreeSet<>();
        impls.forEach(i -> api.addAll(i.api()));
        return new SubServiceInfo(service, impls.stream().anyMatch(Implementation::core), List.copyOf(api),
                running == null ? null : running.symbolicName(), infos);
    }
}
