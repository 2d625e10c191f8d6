/**
 * The default monitor: {@link dev.sliceplane.monitor.api.Monitor} from the VMM's status hooks and
 * the bundle slices, its health checks, query API, Prometheus families and the resource monitor's
 * report to the agent.
 */
@SubServiceImplementation(value = "monitor", api = "dev.sliceplane.monitor.api.Monitor", isDefault = true)
package dev.sliceplane.monitor.internal;

import dev.sliceplane.platform.api.swap.SubServiceImplementation;
