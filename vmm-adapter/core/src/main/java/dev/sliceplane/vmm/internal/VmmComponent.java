package dev.sliceplane.vmm.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmStatusListener;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackendFactory;

/**
 * Wires the VMM into the framework: picks a backend among the installed
 * {@link VmmBackendFactory} services, opens it on {@code <data>/vmm/<backend>}, registers the
 * {@link Vmm} service, feeds {@link VmmStatusListener} services (whiteboard) and posts every
 * event to Event Admin.
 *
 * <p>Backends come and go as their bundles start and stop; the choice is made again each time,
 * and the VMM is re-opened only when it changes (for example when {@code linux} starts after
 * {@code process}). Re-opening is harmless: closing a backend never stops a sliver.
 */
@Component(immediate = true, service = {}, configurationPid = VmmComponent.PID)
@Designate(ocd = VmmComponent.Config.class)
public final class VmmComponent {

    static final String PID = "dev.sliceplane.vmm";
    private static final Logger LOG = LoggerFactory.getLogger(VmmComponent.class);

    @ObjectClassDefinition(name = "Sliceplane VMM", description = "Which VMM backend runs slivers, and how often "
            + "usage is sampled. Properties named <backend>.<setting> (for example linux.cgroupRoot or "
            + "simulated.seed) are passed to that backend.")
    public @interface Config {
        @AttributeDefinition(description = "auto (linux where cgroups are writable, else process), linux, process "
                + "or simulated.")
        String backend() default BackendChoice.AUTO;

        @AttributeDefinition(description = "Seconds between usage samples (status hooks are called with each).")
        double sampleSeconds() default 5;

        @AttributeDefinition(description = "Where slivers and their records live; empty means <data>/vmm/<backend>.")
        String stateDirectory() default "";
    }

    private final BundleContext context;
    private final Config config;
    private final Map<String, Object> properties;
    private final StatusHooks hooks = new StatusHooks("sliceplane-vmm-hook-");
    private final List<VmmBackendFactory> factories = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;

    // Guarded by this: the open VMM, if any, and whether the component is active.
    private boolean active;
    private VmmBackendFactory openFactory;
    private VmmRuntime runtime;
    private ServiceRegistration<Vmm> registration;
    private String lastProblem;

    @Activate
    public VmmComponent(BundleContext context, Config config, Map<String, Object> properties) {
        this.context = context;
        this.config = config;
        this.properties = Map.copyOf(properties);
    }

    @Activate
    synchronized void activate() {
        active = true;
        reconsider();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFactory(VmmBackendFactory factory) {
        factories.add(factory);
        reconsiderIfActive();
    }

    void removeFactory(VmmBackendFactory factory) {
        factories.remove(factory);
        reconsiderIfActive();
    }

    private synchronized void reconsiderIfActive() {
        if (active) {
            reconsider();
        }
    }

    private void reconsider() {
        if (frameworkStopping()) {
            // Backend bundles stop one by one: opening the next usable backend now would create
            // its state and wake every consumer of the VMM (the node manager) only to stop again.
            if (openFactory != null && !factories.contains(openFactory)) {
                closeOpen();
            }
            return;
        }
        VmmBackendFactory chosen;
        try {
            chosen = BackendChoice.choose(config.backend(), List.copyOf(factories));
        } catch (IllegalStateException noBackend) {
            closeOpen();
            if (!noBackend.getMessage().equals(lastProblem)) {
                // Backend bundles start one by one and stop one by one at shutdown; only a real
                // dead end (backends installed and running, none usable) is worth a warning.
                if (factories.isEmpty()) {
                    LOG.debug("No VMM yet: {}", noBackend.getMessage());
                } else {
                    LOG.warn("No VMM: {}", noBackend.getMessage());
                }
                lastProblem = noBackend.getMessage();
            }
            return;
        }
        if (chosen == openFactory) {
            return;
        }
        closeOpen();
        open(chosen);
    }

    private boolean frameworkStopping() {
        return context.getBundle(0).getState() == Bundle.STOPPING;
    }

    private void open(VmmBackendFactory factory) {
        Path dataDirectory = Path.of(context.getProperty("sliceplane.data") == null ? "var"
                : context.getProperty("sliceplane.data"));
        Path stateDirectory = config.stateDirectory().isBlank()
                ? dataDirectory.resolve("vmm").resolve(factory.name())
                : Path.of(config.stateDirectory());
        String backendName = factory.name();
        BackendContext backendContext = new BackendContext(stateDirectory, settingsFor(backendName, properties),
                VmmRuntime.eventSink(hooks, event -> post(event, backendName)), Clock.systemUTC());
        try {
            runtime = new VmmRuntime(factory.open(backendContext), hooks,
                    VmmRuntime.machineStatus(ProcNodeStatusReader.forThisMachine(dataDirectory)), Clock.systemUTC(),
                    Duration.ofMillis(Math.max(100, Math.round(config.sampleSeconds() * 1000))));
        } catch (RuntimeException e) {
            LOG.error("Cannot open the {} VMM backend on {}: {}", backendName, stateDirectory, e.toString());
            return;
        }
        openFactory = factory;
        lastProblem = null;
        Map<String, Object> serviceProperties = Map.of(VmmBackendFactory.NAME, backendName,
                Constants.SERVICE_DESCRIPTION, runtime.backend().detail());
        registration = context.registerService(Vmm.class, runtime, new Hashtable<>(serviceProperties));
        // Quiet start-up: /api/v1/vmm, vmm:info and the vmm health check say which backend runs.
        LOG.debug("VMM on the {} backend: {}", backendName, runtime.backend().detail());
    }

    private void closeOpen() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
        openFactory = null;
    }

    /** Settings named {@code <backend>.<key>} in the configuration, without the prefix. */
    static Map<String, String> settingsFor(String backend, Map<String, Object> properties) {
        Map<String, String> settings = new HashMap<>();
        String prefix = backend + ".";
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix) && value != null) {
                settings.put(key.substring(prefix.length()), String.valueOf(value));
            }
        });
        return settings;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(VmmStatusListener listener, Map<String, Object> serviceProperties) {
        Object name = serviceProperties.getOrDefault("component.name", listener.getClass().getName());
        hooks.add(listener, String.valueOf(name));
    }

    void removeListener(VmmStatusListener listener) {
        hooks.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    private void post(VmmEvent event, String backendName) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(event.topic(), EventProperties.of(event, backendName)));
        }
        if (event.kind() == VmmEvent.Kind.ORPHAN_FOUND || event.kind() == VmmEvent.Kind.LIMIT_EXCEEDED) {
            LOG.warn("Sliver {}: {}", event.sliver(), event.message());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        closeOpen();
        hooks.close();
    }
}
