/**
 * The default discovery: each node joins a JGroups group (TCP, TCPPING seeds, failure detection,
 * verified suspicion, merging after partitions) and multicasts its advertisement, a compact JWS
 * signed with the node's key that carries its node credential; every receiver verifies it against
 * the authority's keys before the node enters its view.
 */
@SubServiceImplementation(value = "discovery", api = "dev.sliceplane.discovery.api.Discovery", isDefault = true)
package dev.sliceplane.discovery.jgroups.internal;

import dev.sliceplane.platform.api.swap.SubServiceImplementation;
