package dev.sliceplane.vmm.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A status hook, registered as an OSGi service (whiteboard). Each listener is called on its
 * own sequence: calls to one listener never overlap and arrive in order, and a slow or failing
 * listener delays neither the other listeners nor the sampling. A listener that falls behind
 * is given the newest sample and skips older ones (the skipped count is reported by the VMM);
 * events are never skipped.
 */
@ConsumerType
public interface VmmStatusListener {

    /** Called with every usage sample. */
    default void sampled(VmmSnapshot snapshot) {
    }

    /** Called with every event, in the order they happened. */
    default void event(VmmEvent event) {
    }
}
