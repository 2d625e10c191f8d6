package dev.sliceplane.vmm.internal;

import java.util.List;
import java.util.stream.Collectors;

import dev.sliceplane.vmm.spi.VmmBackendFactory;
import dev.sliceplane.vmm.spi.VmmBackendFactory.Availability;

/**
 * Picks the backend: the configured one, or with {@code auto} the best usable one —
 * {@code linux} where cgroups are writable, else {@code process}. A simulation is never
 * picked unless asked for, so a real node never reports synthetic figures.
 */
public final class BackendChoice {

    public static final String AUTO = "auto";
    private static final List<String> AUTO_PREFERENCE = List.of("linux", "process");

    private BackendChoice() {
    }

    /**
     * @throws IllegalStateException naming what is installed and why it cannot be used
     */
    public static VmmBackendFactory choose(String wanted, List<VmmBackendFactory> installed) {
        if (AUTO.equals(wanted)) {
            for (String name : AUTO_PREFERENCE) {
                for (VmmBackendFactory factory : installed) {
                    if (factory.name().equals(name) && factory.probe().usable()) {
                        return factory;
                    }
                }
            }
            throw new IllegalStateException("no usable VMM backend: " + describe(installed));
        }
        for (VmmBackendFactory factory : installed) {
            if (factory.name().equals(wanted)) {
                Availability availability = factory.probe();
                if (!availability.usable()) {
                    throw new IllegalStateException(
                            "VMM backend '" + wanted + "' cannot work here: " + availability.reason());
                }
                return factory;
            }
        }
        throw new IllegalStateException("VMM backend '" + wanted + "' is not installed; installed: "
                + describe(installed));
    }

    private static String describe(List<VmmBackendFactory> installed) {
        if (installed.isEmpty()) {
            return "none";
        }
        return installed.stream().map(f -> {
            Availability a = f.probe();
            return f.name() + (a.usable() ? " (usable)" : " (" + a.reason() + ")");
        }).collect(Collectors.joining(", "));
    }
}
