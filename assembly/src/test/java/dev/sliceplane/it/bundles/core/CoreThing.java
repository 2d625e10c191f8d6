package dev.sliceplane.it.bundles.core;

import org.osgi.service.component.annotations.Component;

import dev.sliceplane.platform.api.swap.SubServiceImplementation;

/** Stands for a core sub-service (like accounts): one agreed version, so swaps are refused. */
@Component(service = CoreThing.class)
@SubServiceImplementation(value = "corething", api = "dev.sliceplane.it.bundles.core.CoreThing", core = true)
public final class CoreThing {
}
