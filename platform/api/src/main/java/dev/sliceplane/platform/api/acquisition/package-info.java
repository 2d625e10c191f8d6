/**
 * Slice acquisition: what the resource monitor, the agent, the broker and the node manager share,
 * and what they need from the authority's registry and keys.
 *
 * <p>The flow (DESIGN.md, "Slice acquisition"): each node's resource monitor reports its free
 * capacity to the agent; a broker asks the agent for tickets (signed promises that a slice may
 * hold some {@link Resources} on a node during a window); a service manager redeems each ticket at
 * the node's manager, which checks the signature chain authority → agent → ticket, the window,
 * replay, the slice's registration and its owner's local policy, creates the sliver and returns a
 * signed lease. A refusal carries a chain of {@link Reason}s ({@link DeniedException}). The
 * monitor's reports name the tickets behind current leases and those whose leases have ended
 * ({@link NodeOffer}), so the agent stops counting them against the node.
 *
 * <p>The platform does not import the accounts sub-service, which sits above it. What the
 * acquisition components need from it they ask through the service interfaces here, which the
 * accounts bundle provides: {@link AuthorityKeys}, {@link SliceDirectory}, {@link NodeSigner}
 * (every node), {@link NodeDirectory} and {@link AgentCertifier} (the authority only). Where the
 * agent runs beside the node's resource monitor, reports go to it in-process ({@link ReportSink}).
 */
@Export
@Version("1.2.0")
package dev.sliceplane.platform.api.acquisition;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
