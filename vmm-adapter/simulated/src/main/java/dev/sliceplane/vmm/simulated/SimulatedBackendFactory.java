package dev.sliceplane.vmm.simulated;

import org.osgi.service.component.annotations.Component;

import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackendFactory;
import dev.sliceplane.vmm.spi.VmmBackendProvider;

/**
 * Makes simulated backends. Always usable (it needs nothing from the machine) but never chosen
 * by auto-detection: a node runs a simulation only when configured to. Plain Java works too:
 * {@code new SimulatedBackendFactory().open(context)}.
 */
@VmmBackendProvider(SimulatedBackend.NAME)
@Component(service = VmmBackendFactory.class, property = VmmBackendFactory.NAME + "=" + SimulatedBackend.NAME)
public final class SimulatedBackendFactory implements VmmBackendFactory {

    @Override
    public String name() {
        return SimulatedBackend.NAME;
    }

    @Override
    public Availability probe() {
        return Availability.usable("SIMULATION: a deterministic model of a node; runs no process and needs nothing"
                + " from this machine");
    }

    /**
     * Opens a simulated node on the context's state directory, clock and settings
     * ({@link SimulationSettings}); re-attaches to the slivers recorded there.
     *
     * @throws dev.sliceplane.vmm.api.VmmException {@code BACKEND_FAILURE} for settings that are not
     *         valid or a state directory that cannot be used
     */
    @Override
    public SimulatedBackend open(BackendContext context) {
        return new SimulatedBackend(context);
    }
}
