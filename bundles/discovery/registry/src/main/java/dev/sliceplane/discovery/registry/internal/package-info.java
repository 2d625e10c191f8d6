/**
 * The alternative discovery: the node list from the authority's registry (its boot nodes, with
 * the addresses their capacity reports gave the agent), each node's liveness and advertisement
 * probed over HTTP. Operators swap it in for the default when group membership cannot run.
 */
@SubServiceImplementation(value = "discovery", api = "dev.sliceplane.discovery.api.Discovery")
package dev.sliceplane.discovery.registry.internal;

import dev.sliceplane.platform.api.swap.SubServiceImplementation;
