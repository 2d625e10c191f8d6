/**
 * The service manager of slice acquisition, for researchers' own programs: asks a broker for
 * tickets, redeems each at its node's manager for a lease, starts a program in each sliver, and
 * later reports, renews, resizes and releases those leases.
 *
 * <p>Start at {@link ServiceManager}. Calls to the authority (broker, agent) fail as a whole with
 * a {@link RefusedException} or an {@link UnreachableException}; calls to nodes never do: each
 * node's outcome, including a refusal's {@link dev.sliceplane.platform.api.acquisition.Reason}
 * chain or an unanswered request, is a {@link NodeResult} in the report.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
