package dev.sliceplane.monitor.internal.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * {@code references}: WARN naming the management components that cannot work for want of a
 * service this node should have (the rule is {@link ComponentProblems}'s). Management bundles are
 * the active bundles with a {@code Sliceplane-Slice} header or a {@code dev.sliceplane.*} symbolic
 * name; what their components wait for comes from the component runtime's DTOs.
 */
@Component(property = {HealthCheck.NAME + "=references", HealthCheck.INTERVAL_SECONDS + ":Long=5"})
public final class ReferencesCheck implements HealthCheck {

    static final String SLICE_HEADER = "Sliceplane-Slice";

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    /** Components seen satisfied in this process: one that loses a reference later is a problem. */
    private final Set<String> everSatisfied = ConcurrentHashMap.newKeySet();

    @Activate
    public ReferencesCheck(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    public HealthResult check() {
        List<ComponentProblems.Component> components = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            Bundle bundle = context.getBundle(description.bundle.id);
            if (bundle == null || bundle.getState() != Bundle.ACTIVE || !isManagementBundle(bundle)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                components.add(view(description, configuration, bundle.getSymbolicName()));
            }
        }
        HealthResult result = ComponentProblems.judge(components, everSatisfied);
        components.stream().filter(ComponentProblems.Component::satisfied)
                .forEach(component -> everSatisfied.add(component.name()));
        return result;
    }

    static boolean isManagementBundle(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return bundle.getHeaders().get(SLICE_HEADER) != null || name != null && name.startsWith("dev.sliceplane.");
    }

    private ComponentProblems.Component view(ComponentDescriptionDTO description,
            ComponentConfigurationDTO configuration, String bundle) {
        List<ComponentProblems.Reference> unsatisfied = new ArrayList<>();
        if (configuration.unsatisfiedReferences != null) {
            for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
                String service = interfaceOf(description, reference.name);
                unsatisfied.add(new ComponentProblems.Reference(reference.name, service, isRegistered(service)));
            }
        }
        return new ComponentProblems.Component(description.name, bundle, state(configuration.state), unsatisfied,
                configuration.failure);
    }

    private static String interfaceOf(ComponentDescriptionDTO description, String reference) {
        for (ReferenceDTO declared : description.references) {
            if (declared.name.equals(reference)) {
                return declared.interfaceName;
            }
        }
        return reference;
    }

    private boolean isRegistered(String service) {
        try {
            return context.getAllServiceReferences(service, null) != null;
        } catch (InvalidSyntaxException e) {
            return false; // no filter is given: cannot happen
        }
    }

    private static ComponentProblems.State state(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> ComponentProblems.State.ACTIVE;
            case ComponentConfigurationDTO.SATISFIED -> ComponentProblems.State.SATISFIED;
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> ComponentProblems.State.UNSATISFIED_REFERENCE;
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> ComponentProblems.State.FAILED_ACTIVATION;
            default -> ComponentProblems.State.UNSATISFIED_CONFIGURATION;
        };
    }
}
