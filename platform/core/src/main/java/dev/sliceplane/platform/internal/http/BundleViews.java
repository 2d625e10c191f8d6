package dev.sliceplane.platform.internal.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import dev.sliceplane.platform.api.slice.SliceRegistry;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.internal.BundleStates;

/**
 * Describes bundles for the API and the shell from the framework's and the component runtime's
 * own views: what each bundle provides, what its components consume and whether each reference
 * is satisfied.
 */
@Component(service = BundleViews.class)
public final class BundleViews {

    /** One bundle. */
    public record BundleView(long id, String symbolicName, String version, String state, String location,
            String slice, List<ProvidedService> provides, List<ConsumedService> consumes) {
    }

    /** A service the bundle registered. */
    public record ProvidedService(long serviceId, List<String> objectClass, int ranking) {
    }

    /** A reference of one of the bundle's components. */
    public record ConsumedService(String component, String reference, String service, String cardinality,
            String policy, boolean satisfied, List<Long> boundTo) {
    }

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final SliceRegistry slices;

    @Activate
    public BundleViews(BundleContext context, @Reference ServiceComponentRuntime scr, @Reference SliceRegistry slices) {
        this.context = context;
        this.scr = scr;
        this.slices = slices;
    }

    public List<BundleView> all() {
        Map<Long, String> sliceByBundle = slicesByBundle();
        return Arrays.stream(context.getBundles()).map(b -> describe(b, sliceByBundle)).toList();
    }

    public Optional<BundleView> one(long id) {
        Bundle bundle = context.getBundle(id);
        return bundle == null ? Optional.empty() : Optional.of(describe(bundle, slicesByBundle()));
    }

    private Map<Long, String> slicesByBundle() {
        Map<Long, String> result = new HashMap<>();
        for (SliceSnapshot slice : slices.slices()) {
            result.put(slice.bundleId(), slice.name());
        }
        return result;
    }

    private BundleView describe(Bundle bundle, Map<Long, String> sliceByBundle) {
        return new BundleView(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                BundleStates.name(bundle.getState()), bundle.getLocation(), sliceByBundle.get(bundle.getBundleId()),
                provided(bundle), consumed(bundle));
    }

    private static List<ProvidedService> provided(Bundle bundle) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return List.of();
        }
        List<ProvidedService> result = new ArrayList<>();
        for (ServiceReference<?> ref : refs) {
            Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
            result.add(new ProvidedService((Long) ref.getProperty(Constants.SERVICE_ID),
                    List.of((String[]) ref.getProperty(Constants.OBJECTCLASS)),
                    ranking instanceof Integer i ? i : 0));
        }
        return result;
    }

    private List<ConsumedService> consumed(Bundle bundle) {
        if (bundle.getState() != Bundle.ACTIVE && bundle.getState() != Bundle.STARTING) {
            return List.of();
        }
        List<ConsumedService> result = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
            Map<String, ReferenceDTO> declared = new HashMap<>();
            for (ReferenceDTO ref : description.references) {
                declared.put(ref.name, ref);
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                for (SatisfiedReferenceDTO ref : configuration.satisfiedReferences) {
                    List<Long> bound = Arrays.stream(ref.boundServices).map(s -> s.id).toList();
                    result.add(reference(description.name, declared.get(ref.name), true, bound));
                }
                for (UnsatisfiedReferenceDTO ref : configuration.unsatisfiedReferences) {
                    result.add(reference(description.name, declared.get(ref.name), false, List.of()));
                }
            }
        }
        return result;
    }

    private static ConsumedService reference(String component, ReferenceDTO ref, boolean satisfied, List<Long> bound) {
        return new ConsumedService(component, ref.name, ref.interfaceName, ref.cardinality, ref.policy, satisfied, bound);
    }
}
