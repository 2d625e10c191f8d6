/**
 * The VMM service: slivers (isolated, metered shares of one node) with resource limits,
 * the programs running in them, their usage, and status hooks.
 *
 * <p>Consumers get the {@link dev.sliceplane.vmm.api.Vmm} service; monitors and allocators
 * register {@link dev.sliceplane.vmm.api.VmmStatusListener} services (whiteboard) and are
 * called with every usage sample and every event. The same events are posted to Event Admin
 * under {@link dev.sliceplane.vmm.api.VmmEvent#TOPIC_PREFIX}.
 *
 * <p>1.1: {@link dev.sliceplane.vmm.api.SliverUsage} and
 * {@link dev.sliceplane.vmm.api.VmmEvent.Kind#LIMIT_EXCEEDED} state how late a backend may report
 * OOM kills and refused forks (no signature changed).
 *
 * <p>1.2: {@link dev.sliceplane.vmm.api.SliverUsage#memoryBytes()} may be as old as a backend
 * says for a sliver that did not run since (the {@code linux} backend: {@code eventReadPasses}
 * samples); no signature changed.
 */
@Export
@Version("1.2.0")
package dev.sliceplane.vmm.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
