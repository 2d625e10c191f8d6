/**
 * The simulated VMM backend: a deterministic, seedable model of a node for demos, tests and
 * thousand-node experiments in one JVM. Everything it reports is labelled a simulation.
 *
 * <p>{@link dev.sliceplane.vmm.simulated.SimulatedBackendFactory} is the backend's factory (an
 * OSGi service, usable as plain Java); {@link dev.sliceplane.vmm.simulated.SimulatedBackend} adds
 * failure injection to the backend contract; {@link dev.sliceplane.vmm.simulated.SimulatedCluster}
 * builds many simulated nodes on one {@link dev.sliceplane.vmm.simulated.VirtualClock}.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.vmm.simulated;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
