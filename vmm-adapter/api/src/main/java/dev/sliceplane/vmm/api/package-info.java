/**
 * The VMM service: slivers (isolated, metered shares of one node) with resource limits,
 * the programs running in them, their usage, and status hooks.
 *
 * <p>Consumers get the {@link dev.sliceplane.vmm.api.Vmm} service; monitors and allocators
 * register {@link dev.sliceplane.vmm.api.VmmStatusListener} services (whiteboard) and are
 * called with every usage sample and every event. The same events are posted to Event Admin
 * under {@link dev.sliceplane.vmm.api.VmmEvent#TOPIC_PREFIX}.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.vmm.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
