package dev.sliceplane.vmm.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
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
 * event to Event Admin. A better backend arriving later (greedy) re-opens the VMM on it; the
 * slivers are untouched, since closing a backend never stops them.
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

    private final StatusHooks hooks = new StatusHooks("sliceplane-vmm-hook-");
    private final String backendName;
    private final VmmRuntime runtime;
    private final ServiceRegistration<Vmm> registration;
    private volatile EventAdmin eventAdmin;

    @Activate
    public VmmComponent(BundleContext context, Config config, Map<String, Object> properties,
            @Reference(service = VmmBackendFactory.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) List<VmmBackendFactory> factories) {
        VmmBackendFactory factory = BackendChoice.choose(config.backend(), factories);
        this.backendName = factory.name();
        Path dataDirectory = Path.of(context.getProperty("sliceplane.data") == null ? "var"
                : context.getProperty("sliceplane.data"));
        Path stateDirectory = config.stateDirectory().isBlank()
                ? dataDirectory.resolve("vmm").resolve(factory.name())
                : Path.of(config.stateDirectory());
        BackendContext backendContext = new BackendContext(stateDirectory, settingsFor(factory.name(), properties),
                VmmRuntime.eventSink(hooks, this::post), Clock.systemUTC());
        this.runtime = new VmmRuntime(factory.open(backendContext), hooks,
                VmmRuntime.machineStatus(ProcNodeStatusReader.forThisMachine(dataDirectory)), Clock.systemUTC(),
                Duration.ofMillis(Math.max(100, Math.round(config.sampleSeconds() * 1000))));
        Map<String, Object> serviceProperties = Map.of(VmmBackendFactory.NAME, factory.name(),
                Constants.SERVICE_DESCRIPTION, runtime.backend().detail());
        this.registration = context.registerService(Vmm.class, runtime, new Hashtable<>(serviceProperties));
        LOG.info("VMM on the {} backend: {}", factory.name(), runtime.backend().detail());
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
    void addListener(VmmStatusListener listener, Map<String, Object> properties) {
        Object name = properties.getOrDefault("component.name", listener.getClass().getName());
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

    private void post(VmmEvent event) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(event.topic(), EventProperties.of(event, backendName)));
        }
        if (event.kind() == VmmEvent.Kind.ORPHAN_FOUND || event.kind() == VmmEvent.Kind.LIMIT_EXCEEDED) {
            LOG.warn("Sliver {}: {}", event.sliver(), event.message());
        }
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        runtime.close();
        hooks.close();
    }
}
