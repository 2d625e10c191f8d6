/**
 * Discovery: the set of live nodes in the overlay and what each can do, under dynamic membership
 * (nodes join, leave and die) — PlanetLab's first unbundled sub-service.
 *
 * <p>Every node advertises itself ({@link NodeAdvert}: identity, site, API address, roles,
 * software version, capacity and free resources from its monitor) and keeps the advertisement
 * fresh; the {@link Discovery} service on each node answers from its current view. The default
 * implementation runs on a membership engine (JGroups): failure detection, suspicion and merging
 * after partitions are the engine's; advertisements are signed with the node's key and carry its
 * node credential, so every receiver checks them against the authority's keys. The alternative
 * reads the node list from the authority's registry and probes each node over HTTP. Operators
 * swap the two live; consumers reference {@link Discovery} dynamically and greedily.
 */
@Export
@Version("1.1.0")
package dev.sliceplane.discovery.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
