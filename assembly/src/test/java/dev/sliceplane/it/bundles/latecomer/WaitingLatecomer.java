package dev.sliceplane.it.bundles.latecomer;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.it.bundles.gate.Gate;
import dev.sliceplane.it.bundles.gate.Latecomer;
import dev.sliceplane.platform.api.swap.SubServiceImplementation;

/**
 * The one implementation of "latecomer": it registers only once the {@link Gate} it requires is
 * there, as the JGroups discovery waits for the node's signing key, which waits for the registry.
 */
@Component(service = Latecomer.class)
@SubServiceImplementation(value = "latecomer", api = "dev.sliceplane.it.bundles.gate.Latecomer")
public final class WaitingLatecomer implements Latecomer {

    @Activate
    public WaitingLatecomer(@Reference Gate gate) {
        // the gate is all this implementation needs
    }

    @Modified
    void modified(Map<String, Object> properties) {
        // A ranking change updates the registration in place; nothing else to do.
    }

    @Override
    public String hello() {
        return "here";
    }
}
